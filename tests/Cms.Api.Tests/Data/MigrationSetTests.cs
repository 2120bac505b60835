using Cms.Api.Data;

namespace Cms.Api.Tests.Data;

public sealed class MigrationSetTests
{
    [Test]
    public void Both_engines_number_their_migrations_alike_and_end_at_the_same_version()
    {
        var sqlite = MigrationSet.Sqlite.All.Select(m => m.Version).ToList();
        var postgres = MigrationSet.Postgres.All.Select(m => m.Version).ToList();
        Assert.That(postgres[^1], Is.EqualTo(sqlite[^1]));
        Assert.That(sqlite.Where(v => v >= postgres[0]), Is.EqualTo(postgres), "every version from PostgreSQL's first exists on both engines");
    }
}
