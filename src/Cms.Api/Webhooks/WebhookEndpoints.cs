using Cms.Api.Auth;
using Cms.Api.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Webhooks;

public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization(Roles.AdminPolicy);

        group.MapPost("", CreateWebhook)
            .WithName(nameof(CreateWebhook))
            .WithSummary("Register a webhook (admin)")
            .WithDescription("Events are POSTed to `url` as `{\"id\",\"type\",\"timestamp\",\"data\"}`, signed per the Standard Webhooks specification "
                + "(`webhook-id`, `webhook-timestamp`, `webhook-signature`). The signing `secret` is in this answer only. "
                + "Only http and https; loopback, link-local and private addresses are refused unless the server allows them.")
            .Validate<WebhookRequest>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("", ListWebhooks)
            .WithName(nameof(ListWebhooks))
            .WithSummary("List the webhooks (admin; never their secrets)")
            .WithDescription("Every webhook with its events, whether it is enabled, and why it was disabled if it was.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("{id}", GetWebhook)
            .WithName(nameof(GetWebhook))
            .WithSummary("Get one webhook (admin)")
            .WithDescription("Its URL, events, state and, when the receiver failed for 24 hours, the reason it was disabled.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPatch("{id}", UpdateWebhook)
            .WithName(nameof(UpdateWebhook))
            .WithSummary("Change a webhook (JSON Merge Patch; admin)")
            .WithDescription("E.g. `{\"enabled\":true}` to enable a hook again after it was disabled for failing (its `disabledReason` is cleared). Honours `If-Match`.")
            .Accepts<WebhookRequest>(MergePatch.MediaType, "application/json")
            .ProducesValidationProblem()
            .WritePreconditions()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("{id}", DeleteWebhook)
            .WithName(nameof(DeleteWebhook))
            .WithSummary("Delete a webhook and its deliveries (admin)")
            .WithDescription("Events not yet delivered to it are dropped. Honours `If-Match`.")
            .WritePreconditions()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("{id}/secret", RotateWebhookSecret)
            .WithName(nameof(RotateWebhookSecret))
            .WithSummary("Rotate a webhook's signing secret (admin)")
            .WithDescription("Returns the new `secret` (once); deliveries are signed with it from now on. Honours `If-Match`.")
            .WritePreconditions()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("{id}/deliveries", ListDeliveries)
            .WithName(nameof(ListDeliveries))
            .WithSummary("A webhook's deliveries, newest first, with every attempt (admin)")
            .WithDescription("Each delivery: its event and payload, `state` (pending, delivered, failed), and each attempt's status, latency and the first 1 KB of the answer. Pages by cursor.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("{id}/deliveries/{deliveryId}/retry", RetryDelivery)
            .WithName(nameof(RetryDelivery))
            .WithSummary("Send a delivery again (admin)")
            .WithDescription("Whatever its state: it is sent as soon as the hook is enabled and the article's earlier deliveries are through, and retried for another 24 hours.")
            .Produces<DeliveryResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    internal static async Task<Created<WebhookResponse>> CreateWebhook(
        WebhookRequest request, WebhookStore store, HttpContext context, ETags etags, CancellationToken cancellationToken)
    {
        var hook = await store.CreateAsync(request, cancellationToken);
        context.Response.Headers.ETag = etags.Of(hook with { Secret = null });
        return TypedResults.Created($"/api/v1/webhooks/{hook.Id}", hook);
    }

    internal static async Task<Ok<ItemList<WebhookResponse>>> ListWebhooks(WebhookStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ItemList<WebhookResponse>((await store.ListAsync(cancellationToken)).ConvertAll(r => r.ToResponse())));

    internal static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetWebhook(
        long id, WebhookStore store, HttpContext context, ETags etags, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } row)
        {
            return Problems.NotFound($"webhook {id}");
        }

        var response = row.ToResponse();
        context.Response.Headers.ETag = etags.Of(response);
        return TypedResults.Ok(response);
    }

    internal static Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> UpdateWebhook(
        long id, MergePatchDocument patch, WebhookStore store, IValidator<WebhookRequest> validator, HttpContext context, ETags etags,
        CancellationToken cancellationToken) =>
        WriteResponses.ConditionalAsync<WebhookRow, WebhookResponse, Ok<WebhookResponse>>(
            context, etags, $"webhook {id}", r => r.ToResponse(),
            matches => store.UpdateAsync(id, current => MergePatch.ApplyAndValidate(current.ToRequest(), patch, validator, etags.SerializerOptions), matches, cancellationToken),
            TypedResults.Ok);

    internal static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteWebhook(
        long id, WebhookStore store, HttpContext context, ETags etags, CancellationToken cancellationToken) =>
        WriteResponses.ConditionalAsync<WebhookRow, WebhookResponse, NoContent>(
            context, etags, $"webhook {id}", r => r.ToResponse(), matches => store.DeleteAsync(id, matches, cancellationToken), _ => TypedResults.NoContent());

    internal static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> RotateWebhookSecret(
        long id, WebhookStore store, HttpContext context, ETags etags, CancellationToken cancellationToken)
    {
        string? secret = null;
        var result = await WriteResponses.ConditionalAsync<WebhookRow, WebhookResponse, Ok<WebhookResponse>>(
            context, etags, $"webhook {id}", r => r.ToResponse(), async matches =>
            {
                var write = await store.RotateSecretAsync(id, matches, cancellationToken);
                secret = write.Row?.Secret;
                return write;
            }, response => TypedResults.Ok(response with { Secret = secret }));
        return result;
    }

    internal static async Task<Results<Ok<Page<DeliveryResponse>>, ValidationProblem, ProblemHttpResult>> ListDeliveries(
        long id, int? limit, string? cursor, HttpContext context, WebhookStore hooks, DeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (!ListParameters.TryParse(limit, cursor, null, null, DeliveryStore.Sort, out var paging, out var errors))
        {
            return Validation.Problem(errors);
        }

        if (await hooks.FindAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound($"webhook {id}");
        }

        var (items, next) = paging.Cut(await deliveries.ListAsync(id, paging, cancellationToken), DeliveryStore.Sort, d => ("", d.Id));
        PageLinks.AddNextLink(context, next);
        return TypedResults.Ok(new Page<DeliveryResponse>(items, next));
    }

    internal static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> RetryDelivery(
        long id, long deliveryId, DeliveryStore deliveries, CancellationToken cancellationToken) =>
        await deliveries.ResendAsync(id, deliveryId, cancellationToken) is { } delivery
            ? TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries", delivery)
            : Problems.NotFound($"delivery {deliveryId} of webhook {id}");
}
