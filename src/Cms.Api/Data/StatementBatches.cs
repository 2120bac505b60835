using System.Data;
using System.Data.Common;

namespace Cms.Api.Data;

/// <summary>
/// Statements sent together inside a write, each with its own parameters, each seeing the changes of those before it:
/// in one round trip where the connection can batch them (PostgreSQL), one after another where it cannot (SQLite runs
/// in this process, where a round trip costs nothing). Values are bound as Dapper binds them, timestamps as text.
/// </summary>
internal static class StatementBatches
{
    /// <summary>Each statement's first column of its first row, in order; default where it returned no row or null.</summary>
    public static async Task<T?[]> ScalarEachAsync<T>(this WriteTransaction write, IReadOnlyList<(string Sql, object Parameters)> statements)
    {
        var results = new T?[statements.Count];
        if (statements.Count < 2 || !write.Connection.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                results[i] = await write.ScalarAsync<T>(statements[i].Sql, statements[i].Parameters);
            }

            return results;
        }

        await using var batch = write.Connection.CreateBatch();
        batch.Transaction = write.Transaction;
        foreach (var (sql, parameters) in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            Bind(command, sql, parameters);
            batch.BatchCommands.Add(command);
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        await using var reader = await batch.ExecuteReaderAsync(write.CancellationToken);
        for (var i = 0; i < statements.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(write.CancellationToken))
            {
                throw new InvalidOperationException("A batched statement returned no result.");
            }

            if (await reader.ReadAsync(write.CancellationToken) && !reader.IsDBNull(0))
            {
                results[i] = (T)Convert.ChangeType(reader.GetValue(0), type, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return results;
    }

    // The object's properties that the statement names (@Name), as Dapper would pass them.
    private static void Bind(DbBatchCommand command, string sql, object parameters)
    {
        foreach (var property in parameters.GetType().GetProperties())
        {
            if (!sql.Contains("@" + property.Name, StringComparison.Ordinal))
            {
                continue;
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = property.Name;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            parameter.DbType = type == typeof(long) ? DbType.Int64
                : type == typeof(int) ? DbType.Int32
                : type == typeof(bool) ? DbType.Boolean
                : type == typeof(string) || type == typeof(DateTimeOffset) ? DbType.String
                : throw new NotSupportedException($"Batched statements do not bind {type.Name} values.");
            parameter.Value = property.GetValue(parameters) switch
            {
                null => DBNull.Value,
                DateTimeOffset time => Timestamps.ToText(time),
                var value => value,
            };
            command.Parameters.Add(parameter);
        }
    }
}
