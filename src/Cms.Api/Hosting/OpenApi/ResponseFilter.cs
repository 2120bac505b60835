using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>
/// Declares what every response can carry (ETag, Location, Link, Retry-After), the 503 any database-backed operation
/// can give, and lists each operation's responses in order of status code, as Swagger UI shows them.
/// </summary>
internal sealed class ResponseFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        var isList = operation.Parameters?.Any(p => p.Name == "cursor") == true;
        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            if (code is "200" or "201" && concrete.Content?.Keys.Any(k => k.Contains("json", StringComparison.Ordinal)) == true)
            {
                Add(concrete, "ETag", "A strong validator of these exact bytes: send it in `If-None-Match` (304) or `If-Match` (412 if changed).");
            }

            if (code == "201")
            {
                Add(concrete, "Location", "The URL of what was created.");
            }

            if (code == "200" && isList)
            {
                Add(concrete, "Link", "`<…>; rel=\"next\"`: the next page, when there is one (the same URL as `nextCursor`).");
            }

            if (code == "429")
            {
                Add(concrete, "Retry-After", "Seconds to wait before trying again.", JsonSchemaType.Integer);
            }
        }

        {
            var unavailable = new OpenApiResponse
            {
                Description = "The database is unavailable for a moment (restarting, or busy past the request's wait). Nothing was changed; try again after `Retry-After` seconds.",
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", null) },
                },
            };
            Add(unavailable, "Retry-After", "Seconds to wait before trying again.", JsonSchemaType.Integer);
            operation.Responses.TryAdd("503", unavailable);
        }

        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (code, response) in sorted)
        {
            operation.Responses.Add(code, response);
        }
    }

    private static void Add(OpenApiResponse response, string name, string description, JsonSchemaType type = JsonSchemaType.String)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
    }
}
