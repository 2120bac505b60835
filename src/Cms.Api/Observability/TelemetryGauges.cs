using Cms.Api.Instrumentation;
using System.Diagnostics.Metrics;
using Cms.Api.Data;
using Cms.Api.Search;
using Dapper;

namespace Cms.Api.Observability;

/// <summary>
/// What is measured by looking, when a scrape or an export asks: changes search has not indexed yet, and webhook
/// deliveries waiting to be sent. On a meter of this app's own (from its <see cref="IMeterFactory"/>), so the gauges
/// end with the app.
/// </summary>
internal sealed class TelemetryGauges
{
    private const string PendingDeliveries = "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'";

    public TelemetryGauges(IMeterFactory meters, CmsDatabase database, IServiceProvider services, ILogger<TelemetryGauges> logger)
    {
        var meter = meters.Create(Instruments.Name);
        var indexer = services.GetService<SearchIndexer>();
        meter.CreateObservableGauge("cms.search.index_lag", () => indexer?.Behind(Scalar(SearchIndexer.SelectNewestChange)) ?? 0,
            "{change}", "Changes to searchable text not yet in the search index (always 0 on PostgreSQL, which indexes in each write).");
        meter.CreateObservableGauge("cms.webhooks.outbox_depth", () => Scalar(PendingDeliveries),
            "{delivery}", "Webhook deliveries waiting to be sent (or retried).");

        long Scalar(string sql)
        {
            try
            {
                using var connection = database.OpenAsync().GetAwaiter().GetResult();
                return connection.ExecuteScalar<long>(sql);
            }
            catch (System.Data.Common.DbException exception)
            {
                logger.LogWarning("A gauge could not read the database: {Reason}", exception.Message);
                return 0;
            }
        }
    }
}
