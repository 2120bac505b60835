using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Articles;
using Cms.Api.Articles.Pages;
using Cms.Api.Auth.Keys;
using Cms.Api.Auth;
using Cms.Api.Caching;
using Cms.Api.Comments;
using Cms.Api.Data;
using Cms.Api.Hosting.OpenApi;
using Cms.Api.Observability;
using Cms.Api.Previews;
using Cms.Api.Reader;
using Cms.Api.Http;
using Cms.Api.Idempotency;
using Cms.Api.Search;
using Cms.Api.Settings;
using Cms.Api.Revisions;
using Cms.Api.Transfer;
using Cms.Api.Webhooks;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cms.Api.Hosting;

/// <summary>Service registration and the request pipeline, kept out of Program.cs so both read top to bottom.</summary>
public static class CmsApplication
{
    public static WebApplicationBuilder AddCms(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCmsSettings(builder.Configuration);

        Timestamps.RegisterDapperHandlers();
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddDatabaseEngine(builder.Configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyRegistry>();
        services.AddHostedService<DatabaseStartup>();
        if (DatabaseEngines.IsSqlite(builder.Configuration))
        {
            // After DatabaseStartup: the indexer reads the migrated database when it starts.
            services.AddSingleton<SearchIndexer>();
            services.AddHostedService(provider => provider.GetRequiredService<SearchIndexer>());
        }
        else
        {
            // After DatabaseStartup: it builds the search documents due in the migrated database.
            services.AddHostedService<PostgresSearchDocuments>();
        }

        // After DatabaseStartup: its first pass needs the migrated schema.
        services.AddSingleton<ScheduledPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<ScheduledPublisher>());

        // After DatabaseStartup: it renders what is due at start. Every write renders what it made due once this exists.
        services.AddSingleton<PageRenderer>();
        services.AddHostedService(provider => provider.GetRequiredService<PageRenderer>());

        // After DatabaseStartup: it prunes in the migrated database. Every write records revisions once this exists.
        services.AddHttpContextAccessor();
        services.AddSingleton<RevisionRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<RevisionRecorder>());
        services.AddSingleton<RevisionStore>();

        // After DatabaseStartup: it sends what the migrated database holds. Every write stores its events once the outbox exists.
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddHostedService<WebhookDispatcher>();

        services.AddSingleton<RenderedPages>();
        services.AddSingleton<ArticleStore>();
        services.AddSingleton<ArticleListReader>();
        services.AddSingleton<ETags>();
        services.AddSingleton(provider =>
        {
            var caching = provider.GetRequiredService<IOptions<CmsOptions>>().Value.Caching;
            return new ResponseCache(provider.GetRequiredService<CmsDatabase>(), caching.InProcess, caching.MaxMegabytes * 1024L * 1024L);
        });
        services.AddSingleton<Importer>();
        services.AddSingleton<Exporter>();
        services.AddSingleton<SectionStore>();
        services.AddSingleton<PullQuoteStore>();
        services.AddSingleton<CommentStore>();
        services.AddSingleton<CommentPosts>();

        Validation.UseJsonFieldNames();
        // Singletons: validators keep no state, and building one compiles its rules.
        services.AddValidatorsFromAssemblyContaining<ArticleValidator>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.ConfigureHttpJsonOptions(options => Json.Configure(options.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(options => Json.Configure(options.JsonSerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Registered first, so it is the writer every problem goes through (see ProblemJsonWriter).
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.FillDefaults);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseExceptionHandler>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // Nothing here uses ASP.NET Core data protection (no cookies, no antiforgery tokens), but AddAuthentication
        // registers it, and its hosted service loads, or creates and writes to the user profile, a key ring at
        // every start. Without that service the (unused) key ring would only be made on first use.
        var keyRingLoader = services.FirstOrDefault(d => d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        if (keyRingLoader is not null)
        {
            services.Remove(keyRingLoader);
        }
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.AdminPolicy, policy => policy.RequireRole(Roles.Admin));
        services.AddPublicWriteLimits();
        services.AddSingleton<KeyStore>();
        services.AddSingleton<PreviewLinks>();
        services.AddSingleton<KeyUsage>();

        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CmsOptions>>((cors, cms) => cors.AddDefaultPolicy(policy =>
        {
            var origins = cms.Value.Cors.Origins;
            if (origins.Length > 0)
            {
                policy.WithOrigins(origins);
            }
            else if (builder.Environment.IsDevelopment())
            {
                policy.SetIsOriginAllowed(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.IsLoopback);
            }
            else
            {
                policy.SetIsOriginAllowed(_ => false);
            }

            // Front-ends need these to cache, page, follow creations and back off.
            policy.AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders("ETag", "Link", "Location", "Retry-After", "Last-Modified", "Idempotent-Replayed");
        }));

        services.AddTrustedProxies();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Problems.MaxBodyBytes);
        services.AddCmsOpenApi();
        builder.AddCmsTelemetry();
        return builder;
    }

    public static WebApplication UseCms(this WebApplication app)
    {
        app.UseTraceResponse();
        app.UseRequestLog();
        app.UseSecurityHeaders();
        app.UseTrustedProxies();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseBodySizeLimit();
        app.UseUtf8Bodies();
        app.UseAuthentication();
        app.RejectInvalidKeys();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseResponseCache();
        app.UseIdempotencyKeys();
        app.UseCmsOpenApi();

        app.MapGet(Access.HealthPath, HealthCheck.Live)
            .WithName("HealthCheck")
            .WithTags("Health")
            .WithSummary("Live: 200 while the process answers")
            .WithDescription("For liveness probes: never looks at the database, so an outage does not get healthy processes restarted. Needs no key and ignores any sent.")
            .AllowAnonymous();
        app.MapGet(Access.ReadyPath, HealthCheck.Ready)
            .WithName("ReadinessCheck")
            .WithTags("Health")
            .WithSummary("Ready: 200 when the database answers with every migration applied, 503 otherwise")
            .WithDescription("For readiness probes and load balancers: `entries` has `database` (schema version), `search` (`changesBehind`: changes not yet indexed, e.g. while the index rebuilds) and `pages` (`pagesToRender` after a bulk write). Needs no key and ignores any sent.")
            .Produces<HealthCheck.HealthReport>(StatusCodes.Status503ServiceUnavailable)
            .AllowAnonymous();
        app.MapArticles();
        app.MapSections();
        app.MapPullQuotes();
        app.MapComments();
        app.MapTransfer();
        app.MapMarkdown();
        app.MapKeys();
        app.MapWebhooks();
        app.MapRevisions();
        app.MapPreviews();
        app.MapReaderPageIfEnabled(app.Environment);
        app.MapCmsMetricsIfEnabled();
        app.MapBaselineIfEnabled();
        return app;
    }

    /// <summary>
    /// Refuses bodies over 1 MiB with a 413 problem before they are read. Kestrel enforces the same limit on
    /// chunked bodies; this check also covers hosts without Kestrel's limit (the test server).
    /// </summary>
    private static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<LargeBody>() is not null)
        {
            // Bulk import streams its body; Kestrel's 1 MiB default is lifted for it alone.
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            await next(context);
            return;
        }

        if (context.Request.ContentLength > Problems.MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = Problems.PayloadTooLarge(),
            });
            return;
        }

        await next(context);
    });
}
