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
                Description = "Articles, their sections and pull-quotes, and readers' comments, as JSON.\n\n"
                    + "**Start here:** press **Authorize** and paste your API key (the admin key printed at first start). Then open "
                    + "*Articles › Create an article*, press **Try it out**, choose `text/markdown` as the request body, paste an "
                    + "article written in Markdown (`# Title`, the standfirst, paragraphs, `## Headings`) and press **Execute**. "
                    + "Every example works as offered on a fresh install and harms nothing: edits of the demo article send its own "
                    + "values, and deletes name an id that does not exist.\n\n"
                    + "Reads of published content and posting a comment need no key (and are sent without one); everything else "
                    + "needs `Authorization: Bearer <key>`. Errors are RFC 9457 problem details.",
                Contact = new OpenApiContact { Name = "The newsroom's CMS team" },
            });
            options.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The API key, e.g. the admin key printed at first start or set with Cms__AdminKey.",
            });
            // Relative, so the document and Swagger UI work on whatever host and port serve them.
            options.AddServer(new OpenApiServer { Url = "/", Description = "The server serving this document" });
            // Operations by tag, in the tags' reading order, then by path: an article's create comes before what needs it.
            options.OrderActionsBy(description => $"{TagOrderFilter.Position(description):D2} {description.RelativePath}");
            options.IncludeXmlComments(typeof(OpenApi).Assembly);
            options.OperationFilter<CmsOperationFilter>();
            options.OperationFilter<ExampleFilter>();
            options.OperationFilter<MarkdownOperationFilter>();
            options.OperationFilter<ResponseFilter>();
            options.DocumentFilter<TagOrderFilter>();
            options.DocumentFilter<MergePatchSchemaFilter>();
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
        });
        return services;
    }

    public static WebApplication UseCmsOpenApi(this WebApplication app)
    {
        // A branch: other requests never pass through Swashbuckle's middleware, whose first call builds the
        // document generator (a cost the first article read of a cold start would otherwise pay).
        var cms = app.Services.GetRequiredService<IOptions<CmsOptions>>().Value;
        var (swaggerUi, persistKey) = (cms.SwaggerUi.Enabled, cms.SwaggerUi.PersistKey);
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            swagger.UseSwagger();
            if (swaggerUi)
            {
                swagger.UseSwaggerUI(options =>
                {
                    options.SwaggerEndpoint(DocumentPath, "Newsroom CMS API v1");
                    options.DocumentTitle = "Newsroom CMS API";
                    // A key kept in the browser's localStorage outlives the session on a shared desk: only when asked.
                    if (persistKey)
                    {
                        options.EnablePersistAuthorization();
                    }

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
        ("Seeding and transfer", "Whole articles by slug (JSON or Markdown), bulk import and export: for CI jobs and migrations."),
        ("Keys", "API keys and their roles (admin keys)."),
        ("Health", "Liveness for load balancers and operators."),
    ];

    public static int Position(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        var tag = description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>().FirstOrDefault()?.Tags[0];
        return Array.FindIndex(Tags, t => t.Name == tag);
    }

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }
}
