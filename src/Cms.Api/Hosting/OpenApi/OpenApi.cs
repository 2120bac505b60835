using Cms.Api.Auth;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Hosting.OpenApi;

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
            options.OperationFilter<MarkdownOperationFilter>();
            options.DocumentFilter<TagOrderFilter>();
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
        });
        return services;
    }

    public static WebApplication UseCmsOpenApi(this WebApplication app)
    {
        // A branch: other requests never pass through Swashbuckle's middleware, whose first call builds the
        // document generator (a cost the first article read of a cold start would otherwise pay).
        var swaggerUi = app.Services.GetRequiredService<IOptions<CmsOptions>>().Value.SwaggerUi;
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            swagger.UseSwagger();
            if (swaggerUi)
            {
                swagger.UseSwaggerUI(options =>
                {
                    options.SwaggerEndpoint(DocumentPath, "Newsroom CMS API v1");
                    options.DocumentTitle = "Newsroom CMS API";
                    options.EnablePersistAuthorization();
                    options.EnableTryItOutByDefault();
                    options.DisplayRequestDuration();
                });
            }
        });

        return app;
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
        ("Revisions", "Every change to an article's document, kept: list, read, compare and restore (keys only)."),
        ("Webhooks", "URLs told when content changes, signed per Standard Webhooks, retried for 24 hours (admin keys)."),
        ("Health", "Liveness for load balancers and operators."),
    ];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }
}
