using Cms.Api.Instrumentation;
using System.Diagnostics;
using Cms.Api.Auth;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cms.Api.Observability;

/// <summary>
/// OpenTelemetry for the service: traces of every request with spans for database work and search (ASP.NET Core's,
/// Npgsql's and <see cref="Instruments.Source"/>), metrics (ASP.NET Core's request metrics and <see cref="Instruments.Meter"/>),
/// exported over OTLP when the standard OTEL_EXPORTER_OTLP_* variables say where, and to Prometheus at /metrics when
/// <c>Cms:Telemetry:Prometheus</c> is on (to admin keys only: the numbers describe the business).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddCmsTelemetry(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection($"{CmsOptions.Section}:Telemetry").Get<TelemetrySettings>() ?? new TelemetrySettings();
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("newsroom-cms"));
        if (settings.Tracing)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = context => context.Request.Path != MetricsPath)
                    .AddSource(Instruments.Name)
                    .AddNpgsql();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
                else
                {
                    // Nowhere to send spans: each request still gets its trace context (traceparent in and out, the
                    // problem's traceId) but records nothing, which is most of a span's cost.
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });
        }

        if (settings.Prometheus || otlp)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(Instruments.Name);
                if (settings.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

            // Only where something collects metrics: the gauges read the database when asked.
            builder.Services.AddSingleton<TelemetryGauges>();
        }

        return builder;
    }

    /// <summary>Returns the request's trace context (W3C <c>traceparent</c>), so a client can find its request's trace.</summary>
    public static IApplicationBuilder UseTraceResponse(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
            {
                http.Response.Headers["traceparent"] = activity.Id;
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    public static WebApplication MapCmsMetricsIfEnabled(this WebApplication app)
    {
        app.Services.GetService<TelemetryGauges>();
        if (app.Services.GetRequiredService<IOptions<CmsOptions>>().Value.Telemetry.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Roles.AdminPolicy).WithName("Metrics").ExcludeFromDescription();
        }

        return app;
    }
}
