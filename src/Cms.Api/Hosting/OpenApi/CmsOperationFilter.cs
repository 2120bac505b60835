using System.Text.Json;
using Cms.Api.Auth;
using Cms.Api.Http;
using Cms.Api.Idempotency;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>Adds security, the error responses every operation can give, and example bodies.</summary>
internal sealed class CmsOperationFilter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IOperationFilter
{
    // Examples leave out the optional fields they don't use.
    private readonly JsonSerializerOptions exampleOptions = new(json.Value.SerializerOptions)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var needsKey = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var scheme = new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document);
        // Public operations declare no key, so Swagger UI sends them as a reader would (the comment form with flood control,
        // the published view); a key is still accepted there, and shows drafts to a client that sends one.
        operation.Security = needsKey ? [new OpenApiSecurityRequirement { [scheme] = [] }] : [];

        DescribeParameters(operation, context);
        AddConditionalHeaders(operation, metadata);
        operation.Responses ??= [];
        var hasInput = context.ApiDescription.ParameterDescriptions.Count > 0;
        var bodyType = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type
            ?? metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().FirstOrDefault()?.RequestType;
        var hasBody = operation.RequestBody is not null;
        if (hasInput)
        {
            AddProblem(operation, "400", "The request is not valid: a field, a query parameter, an id or the JSON itself. `errors` names each field to fix.", validation: true);
        }

        if (needsKey)
        {
            AddProblem(operation, "401", "No API key, or an unknown one. The response carries `WWW-Authenticate: Bearer`.");
        }
        else
        {
            AddProblem(operation, "401", "An API key was sent but is not valid (a missing key is fine here).");
        }

        if (hasBody)
        {
            AddProblem(operation, "413", "The body is over 1 MiB.");
            AddProblem(operation, "415", "The body is not in a media type this operation takes (see the request body's).");
            var example = OperationExamples.For(operation.OperationId)?.Body ?? (bodyType is null ? null : Examples.For(bodyType));
            foreach (var (name, mediaType) in operation.RequestBody?.Content ?? new Dictionary<string, IOpenApiMediaType>())
            {
                if (example is Transfer.ContentBundle bundle && mediaType is OpenApiMediaType ndjson && name == "application/x-ndjson")
                {
                    ndjson.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "NDJSON: one article document (as in `articles` of the JSON bundle) per line, or `{\"comment\":{…}}`.",
                    };
                    ndjson.Example = System.Text.Json.Nodes.JsonValue.Create(string.Concat(
                        bundle.Articles!.Select(a => JsonSerializer.Serialize(a, exampleOptions) + "\n")
                            .Concat(bundle.Comments!.Select(c => JsonSerializer.Serialize(new { comment = c }, exampleOptions) + "\n"))));
                }
                else if (example is not null && mediaType is OpenApiMediaType concrete && name.EndsWith("json", StringComparison.Ordinal))
                {
                    concrete.Example = JsonSerializer.SerializeToNode(example, example.GetType(), exampleOptions);
                }
            }
        }

        foreach (var (code, response) in operation.Responses)
        {
            if (response is OpenApiResponse concrete && Describe(code) is { } description)
            {
                concrete.Description = description;
            }
        }
    }

    private static readonly Dictionary<string, (string Description, string? Example)> ParameterDescriptions = new()
    {
        ["article"] = ("The article's numeric id or its slug.", "the-night-the-river-came-to-town"),
        ["id"] = ("The numeric id.", "1"),
        ["slug"] = ("The article's slug: lowercase a-z, 0-9 and single hyphens, not all digits.", "harbour-ferry-returns"),
        ["limit"] = ("Items per page, 1 to 100 (default 20).", "20"),
        ["cursor"] = ("The `nextCursor` of the previous page (opaque). Keep the other parameters the same while following it.", "eyJTIjoiLXB1Ymxpc2hlZEF0IiwiSyI6IjIwMjYtMTEtMjVUMDk6MDA6MDAuMDAwWiIsIkkiOjQyfQ"),
        ["offset"] = ("Skip this many items: at most 1000 and not with `cursor` (for short jumps; walk long lists by cursor).", "0"),
        ["count"] = ("`true` adds `totalCount` to the page.", "true"),
        ["articleId"] = ("Only comments on this article.", "1"),
        ["q"] = ("Full-text search over title, standfirst, byline, section headings and bodies, ranked by relevance. FTS5 syntax: words, \"quoted phrases\", OR, NOT, prefix*.", "river flood"),
        ["byline"] = ("Only articles whose byline contains this text (case-insensitive for ASCII).", "Penrose"),
        ["publishedAfter"] = ("Only articles published after this instant (ISO 8601).", "2026-11-01T00:00:00Z"),
        ["publishedBefore"] = ("Only articles published before this instant (ISO 8601).", "2026-12-01T00:00:00Z"),
        ["sort"] = ("`-publishedAt` (newest first, the default), `publishedAt`, `-updatedAt`, `title`, or `relevance` (the default when `q` is given).", "-publishedAt"),
        ["dryRun"] = ("`true`: validate and report what would be created / updated / unchanged, writing nothing.", "true"),
        ["updatedSince"] = ("Only articles (and their comments) updated at or after this instant (ISO 8601).", "2026-11-01T00:00:00Z"),
        ["number"] = ("The revision's number (1 is the article's first).", "1"),
        ["against"] = ("The revision to compare with (default: the one before `number`).", "1"),
        ["preview"] = ("A preview link's token (from `POST /articles/{article}/preview-link`): shows the unpublished article without a key, never cached.", null),
        ["deliveryId"] = ("The delivery's id (from the hook's deliveries).", "1"),
        ["include"] = ("Parts to embed, comma-separated: `sections`, `pullQuotes` (and `comments` on a single article); on an article's comments, `replies` nests the approved threads.", "sections,pullQuotes"),
    };

    private static void AddConditionalHeaders(OpenApiOperation operation, IList<object> metadata)
    {
        operation.Parameters ??= [];
        if (metadata.OfType<HonoursIfMatch>().Any())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "The ETag you last read. The write happens only if the resource is still exactly that (else 412 with the current version). Optional unless the server sets Cms:RequireIfMatch (then 428 without it).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (metadata.OfType<Idempotent>().Any())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Description = "Any unique string (e.g. a UUID). A retry with the same key within 24 h gets the first response (with `Idempotent-Replayed: true`) instead of writing twice; the same key with another body is 422; a retry while the first is still running is 409.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (operation.Responses?.ContainsKey("304") == true)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
                Description = "The ETag of your cached copy: 304 Not Modified, with no body, while it is still current.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            if (operation.Responses["304"] is OpenApiResponse notModified)
            {
                notModified.Description = "Not Modified: your copy (If-None-Match) is current.";
            }
        }

        if (operation.Responses?.TryGetValue("412", out var stale) == true && stale is OpenApiResponse staleResponse)
        {
            staleResponse.Description = "If-Match did not match: someone changed it since you read it. The problem names `currentVersion` and `currentETag`.";
        }

        if (operation.Responses?.TryGetValue("428", out var missing) == true && missing is OpenApiResponse missingResponse)
        {
            missingResponse.Description = "If-Match is required on this server (Cms:RequireIfMatch) and was not sent.";
        }
    }

    private static void DescribeParameters(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.Name is null)
            {
                continue;
            }

            if (ParameterDescriptions.TryGetValue(parameter.Name, out var described))
            {
                parameter.Description = described.Description;
                // A query parameter's example would be sent by "Try it out" as a real filter, so only path parameters have one.
                if (described.Example is not null && parameter.In == ParameterLocation.Path)
                {
                    parameter.Example = long.TryParse(described.Example, out var number) ? System.Text.Json.Nodes.JsonValue.Create(number)
                        : bool.TryParse(described.Example, out var flag) ? System.Text.Json.Nodes.JsonValue.Create(flag)
                        : System.Text.Json.Nodes.JsonValue.Create(described.Example);
                }
            }

            if (parameter.Name == "status" && parameter.Schema is OpenApiSchema schema)
            {
                var isComments = context.ApiDescription.RelativePath?.Contains("comments", StringComparison.Ordinal) == true;
                string[] values = isComments ? ["pending", "approved", "spam", "rejected"] : ["draft", "scheduled", "published", "archived"];
                schema.Enum = Names(values);
                parameter.Description = isComments
                    ? "Only comments with this status (with a key; the public sees approved comments only)."
                    : "Only articles with this status. Without a key only `published` is allowed.";
            }

            if (parameter.Name == "sort" && parameter.Schema is OpenApiSchema sort)
            {
                sort.Enum = Names("-publishedAt", "publishedAt", "-updatedAt", "title", "relevance");
            }

            if (parameter.Name == "include")
            {
                var isComments = context.ApiDescription.RelativePath?.Contains("comments", StringComparison.Ordinal) == true;
                var isList = context.ApiDescription.RelativePath?.TrimEnd('/').EndsWith("articles", StringComparison.Ordinal) == true;
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = isComments ? Names("replies") : isList ? Names("sections", "pullQuotes") : Names("sections", "pullQuotes", "comments"),
                    },
                };
                parameter.Style = ParameterStyle.Form;
                parameter.Explode = false;
            }
        }
    }

    private static List<System.Text.Json.Nodes.JsonNode> Names(params string[] values) =>
        values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)).ToList();

    private static void AddProblem(OpenApiOperation operation, string code, string description, bool validation = false)
    {
        if (operation.Responses!.TryGetValue(code, out var existing))
        {
            if (existing is OpenApiResponse concrete)
            {
                concrete.Description = description;
            }

            return;
        }

        operation.Responses[code] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchemaReference(validation ? "HttpValidationProblemDetails" : "ProblemDetails", null),
                },
            },
        };
    }

    private static string? Describe(string code) => code switch
    {
        "201" => "Created; `Location` names the new resource.",
        "204" => "Done; no body.",
        "404" => "Not found (or not visible without a key).",
        "409" => "Conflicts with existing data (e.g. a slug in use).",
        _ => null,
    };
}
