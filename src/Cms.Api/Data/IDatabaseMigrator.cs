namespace Cms.Api.Data;

/// <summary>Brings the engine's schema up to this build's migrations at start-up, or refuses a newer one.</summary>
public interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
