using Cms.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Auth.Keys;

public static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/keys").WithTags("Keys").RequireAuthorization(Roles.AdminPolicy);

        group.MapPost("", CreateKey)
            .WithName(nameof(CreateKey))
            .WithSummary("Create an API key (admin)")
            .WithDescription("Returns the secret once; only its SHA-256 hash is stored. Roles: `admin` (everything, including keys) and `editor` (all content and moderation).")
            .Validate<KeyRequest>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("", ListKeys)
            .WithName(nameof(ListKeys))
            .WithSummary("List the active API keys (admin; never their secrets)")
            .WithDescription("Each key's name, role, the first characters of its secret (to recognise it) and when it was last used.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapDelete("{id}", RevokeKey)
            .WithName(nameof(RevokeKey))
            .WithSummary("Revoke an API key (admin)")
            .WithDescription("Takes effect on the next request. The key from configuration (Cms:AdminKey) is not in this list and cannot be revoked here.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    internal static async Task<Created<CreatedKeyResponse>> CreateKey(KeyRequest request, KeyStore store, CancellationToken cancellationToken)
    {
        var key = await store.CreateAsync(request.Name!, request.Role!, cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{key.Id}", key);
    }

    internal static async Task<Ok<ItemList<KeyResponse>>> ListKeys(KeyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ItemList<KeyResponse>(await store.ListAsync(cancellationToken)));

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(long id, KeyStore store, CancellationToken cancellationToken) =>
        await store.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"active key {id}");
}
