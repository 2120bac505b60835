using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Common;

public static class OpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddCmsOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Newsroom CMS API",
                Version = "v1",
                Description = "Articles, their sections and pull-quotes, and readers' comments, as JSON. "
                    + "Reads of published content and posting a comment need no key; everything else needs "
                    + "`Authorization: Bearer <key>` (use the Authorize button). Errors are RFC 9457 problem details.",
            });
            options.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The API key, e.g. the admin key printed at first start or set with Cms__AdminKey.",
            });
            options.IncludeXmlComments(typeof(OpenApi).Assembly);
            options.OperationFilter<CmsOperationFilter>();
            options.DocumentFilter<TagOrderFilter>();
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
        });
        return services;
    }

    public static WebApplication UseCmsOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        if (app.Services.GetRequiredService<IOptions<CmsOptions>>().Value.SwaggerUi)
        {
            app.UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint(DocumentPath, "Newsroom CMS API v1");
                options.DocumentTitle = "Newsroom CMS API";
                options.EnablePersistAuthorization();
                options.EnableTryItOutByDefault();
                options.DisplayRequestDuration();
            });
        }

        return app;
    }

    /// <summary>Adds security, the error responses every operation can give, and example bodies.</summary>
    private sealed class CmsOperationFilter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IOperationFilter
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
            operation.Security = needsKey
                ? [new OpenApiSecurityRequirement { [scheme] = [] }]
                // Optional key: Swagger UI sends it when authorized, so editors preview drafts on the same routes.
                : [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [scheme] = [] }];

            DescribeParameters(operation, context);
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
                AddProblem(operation, "415", "The body is not JSON (send Content-Type: application/json).");
                if (bodyType is not null && Examples.For(bodyType) is { } example && operation.RequestBody?.Content is { } content)
                {
                    foreach (var mediaType in content.Values.OfType<OpenApiMediaType>())
                    {
                        mediaType.Example = JsonSerializer.SerializeToNode(example, example.GetType(), exampleOptions);
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

        private static readonly Dictionary<string, string> ParameterDescriptions = new()
        {
            ["article"] = "The article's numeric id or its slug, e.g. `12` or `the-night-the-river-came-to-town`.",
            ["id"] = "The numeric id.",
            ["limit"] = "Items per page, 1 to 100 (default 20).",
            ["offset"] = "How many items to skip (default 0). The response's `nextOffset` is the next page's offset, null on the last page.",
            ["articleId"] = "Only comments on this article.",
        };

        private static void DescribeParameters(OpenApiOperation operation, OperationFilterContext context)
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
            {
                if (parameter.Name is null)
                {
                    continue;
                }

                if (ParameterDescriptions.TryGetValue(parameter.Name, out var description))
                {
                    parameter.Description = description;
                }

                if (parameter.Name == "status" && parameter.Schema is OpenApiSchema schema)
                {
                    var isComments = context.ApiDescription.RelativePath?.Contains("comments", StringComparison.Ordinal) == true;
                    string[] values = isComments ? ["pending", "approved", "spam", "rejected"] : ["draft", "published", "archived"];
                    schema.Enum = values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)).ToList();
                    parameter.Description = isComments
                        ? "Only comments with this status (with a key; the public sees approved comments only)."
                        : "Only articles with this status. Without a key only `published` is allowed.";
                }
            }
        }

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
}

/// <summary>Lists the tags in reading order (an article, then its parts, then comments) with a line on each.</summary>
internal sealed class TagOrderFilter : IDocumentFilter
{
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Articles", "Articles: headline, standfirst, byline and publishing status."),
        ("Sections", "The sub-headed parts of an article's body, in order."),
        ("Pull-quotes", "Quotations set in large type, placed after a paragraph of a section."),
        ("Comments", "Readers' comments: the public comment form and the moderation queue."),
        ("Health", "Liveness for load balancers and operators."),
    ];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }
}

/// <summary>Writes the OpenAPI document to a file: <c>dotnet run --project src/Cms.Api -- --export-openapi PATH</c>.</summary>
public static class OpenApiExport
{
    public static bool IsRequested(string[] args, out string path)
    {
        var index = Array.IndexOf(args, "--export-openapi");
        path = index >= 0 && index + 1 < args.Length ? args[index + 1] : string.Empty;
        return index >= 0;
    }

    public static async Task WriteAsync(WebApplication app, string path)
    {
        // The host normally registers the app's endpoints with routing when it starts; the export never starts it,
        // so register them here (the pipeline this adds to is never run).
        app.UseRouting();
        app.UseEndpoints(_ => { });
        var document = Render(app.Services);
        await File.WriteAllTextAsync(path, document);
        Console.WriteLine($"Wrote {Path.GetFullPath(path)}");
    }

    public static string Render(IServiceProvider services)
    {
        var provider = services.GetRequiredService<ISwaggerProvider>();
        var document = provider.GetSwagger(OpenApi.DocumentName);
        using var writer = new StringWriter();
        document.SerializeAsV3(new OpenApiJsonWriter(writer));
        return writer.ToString();
    }
}
