namespace Cms.Api.Common;

/// <summary>The <c>Cms</c> configuration section (environment variables use <c>Cms__Name</c>).</summary>
public sealed class CmsOptions
{
    public const string Section = "Cms";

    /// <summary>The admin API key. When empty, the first start generates one, stores only its hash and prints it once.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Seeds one demo article when the database is empty. Defaults to true in Development.</summary>
    public bool? SeedDemoContent { get; set; }

    /// <summary>Serves Swagger UI at /swagger (the JSON document stays available at /swagger/v1/swagger.json).</summary>
    public bool SwaggerUi { get; set; } = true;

    public CommentOptions Comments { get; set; } = new();

    public sealed class CommentOptions
    {
        /// <summary>New public comments are published at once instead of waiting in the moderation queue.</summary>
        public bool AutoApprove { get; set; }
    }
}
