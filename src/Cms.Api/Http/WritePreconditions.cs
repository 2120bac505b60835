namespace Cms.Api.Http;

/// <summary>Marks an endpoint that honours If-Match (and, with Cms:RequireIfMatch, requires it).</summary>
public sealed class HonoursIfMatch;

public static class WritePreconditionsExtensions
{
    public static RouteHandlerBuilder WritePreconditions(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new HonoursIfMatch())
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
