using System.Diagnostics;

namespace Cms.Api.Tests.Data;

/// <summary>
/// <see cref="CountingDatabase"/>'s count on PostgreSQL: every command Npgsql runs against one test's database, heard
/// through Npgsql's tracing (one activity per command, however many statements it carries, tagged with the database).
/// </summary>
internal sealed class PostgresCommandCounter : IDisposable
{
    private readonly ActivityListener listener;
    private long commands;

    public PostgresCommandCounter(string database)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.name") ?? activity.GetTagItem("db.namespace"), database)
                    && (activity.GetTagItem("db.statement") ?? activity.GetTagItem("db.query.text")) is not null)
                {
                    Interlocked.Increment(ref commands);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public long Commands => Interlocked.Read(ref commands);

    public void Dispose() => listener.Dispose();
}
