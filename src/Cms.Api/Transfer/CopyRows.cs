using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Cms.Api.Transfer;

/// <summary>
/// One table's new rows, kept until sent with binary COPY, and ids for them taken from the table's sequence ahead of
/// time, in blocks that double up to <see cref="MaxBlock"/> (an upsert of one article takes a few, an import thousands).
/// Ids a write took but did not use are gaps, as after any rollback.
/// </summary>
internal sealed class CopyRows(string table, string columns)
{
    private const int MaxBlock = 4096;

    private readonly List<object?[]> pending = [];
    private readonly Queue<long> ids = new();
    private int block = 1;

    public int Count => pending.Count;

    public void Add(params object?[] row) => pending.Add(row);

    public async ValueTask<long> NextIdAsync(NpgsqlConnection connection)
    {
        if (ids.Count == 0)
        {
            foreach (var id in await connection.QueryAsync<long>(
                "SELECT nextval(pg_get_serial_sequence(@Table, 'id')) FROM generate_series(1, @Count)", new { Table = table, Count = block }))
            {
                ids.Enqueue(id);
            }

            block = Math.Min(block * 2, MaxBlock);
        }

        return ids.Dequeue();
    }

    public async Task CopyAsync(NpgsqlConnection connection)
    {
        if (pending.Count == 0)
        {
            return;
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in pending)
            {
                await copy.StartRowAsync();
                foreach (var value in row)
                {
                    await (value switch
                    {
                        null => copy.WriteNullAsync(),
                        string text => copy.WriteAsync(text, NpgsqlDbType.Text),
                        long number => copy.WriteAsync(number, NpgsqlDbType.Bigint),
                        int number => copy.WriteAsync((long)number, NpgsqlDbType.Bigint),
                        bool flag => copy.WriteAsync(flag, NpgsqlDbType.Boolean),
                        _ => throw new ArgumentException($"No COPY type for column value {value}.", nameof(row)),
                    });
                }
            }

            await copy.CompleteAsync();
        }

        pending.Clear();
    }
}
