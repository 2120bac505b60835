using Cms.Api.Data;
using System.Text.Json.Nodes;
using System.Text.Json;
using FluentValidation;

namespace Cms.Api.Http;

/// <summary>
/// JSON Merge Patch (RFC 7396): fields present in the patch replace the current ones, <c>null</c> clears them,
/// absent fields stay. The merged document is then validated exactly like a full PUT.
/// </summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    public static T Apply<T>(T current, MergePatchDocument patch, JsonSerializerOptions options)
    {
        var document = JsonSerializer.SerializeToNode(current, options)!.AsObject();
        foreach (var (name, value) in patch.Fields)
        {
            document[name] = value?.DeepClone();
        }

        try
        {
            return document.Deserialize<T>(options)!;
        }
        catch (JsonException exception)
        {
            // Reported exactly like the same mistake in a POST or PUT body.
            throw new BadHttpRequestException(exception.Message, StatusCodes.Status400BadRequest, exception);
        }
    }

    /// <summary>
    /// Merges the patch into the current fields and validates the result like a PUT body. Runs inside the
    /// write transaction (validators here are synchronous), so a PATCH always merges into the latest version:
    /// two concurrent PATCHes of different fields both land.
    /// </summary>
    public static Proposed<T> ApplyAndValidate<T>(T current, MergePatchDocument patch, IValidator<T> validator, JsonSerializerOptions options)
        where T : class
    {
        var merged = Apply(current, patch, options);
        var result = validator.Validate(merged);
        return result.IsValid ? merged : new Proposed<T>(null, result.ToDictionary());
    }
}

/// <summary>
/// A PATCH body: a JSON object read straight from the request (so OpenAPI documents the resource's fields via
/// <c>Accepts&lt;T&gt;</c>, not a free-form object). Bad bodies fail exactly like any other JSON body.
/// </summary>
public sealed class MergePatchDocument(JsonObject fields)
{
    public JsonObject Fields { get; } = fields;

    public static async ValueTask<MergePatchDocument?> BindAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Unsupported media type", StatusCodes.Status415UnsupportedMediaType);
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException(exception.Message, StatusCodes.Status400BadRequest, exception);
        }

        if (node is not JsonObject fields)
        {
            throw new BadHttpRequestException("A PATCH body must be a JSON object of the fields to change, e.g. {\"status\":\"published\"}.");
        }

        ThrowIfNotText(fields, "$");
        return new MergePatchDocument(fields);
    }

    // The reader checks the body's UTF-8 but keeps escapes as they are, so "\ud800" (half of a surrogate pair) would only
    // fail when the field is read, deep in the merge; a POST or PUT body is refused with 400 for it, and so is a PATCH.
    private static void ThrowIfNotText(JsonNode? node, string path)
    {
        try
        {
            switch (node)
            {
                case JsonObject fields:
                    foreach (var (name, value) in fields)
                    {
                        ThrowIfNotText(value, path == "$" ? name : $"{path}.{name}");
                    }

                    break;
                case JsonArray items:
                    for (var i = 0; i < items.Count; i++)
                    {
                        ThrowIfNotText(items[i], $"{path}[{i}]");
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    value.GetValue<string>();
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            throw new BadHttpRequestException(
                $"The request body is not valid JSON: the text at '{path}' is not valid Unicode (an unpaired surrogate such as \\ud800).");
        }
    }
}
