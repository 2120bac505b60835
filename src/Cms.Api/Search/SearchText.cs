using Microsoft.Data.Sqlite;

namespace Cms.Api.Search;

/// <summary>An article's searchable text, as the articles_search view gives it.</summary>
internal sealed record SearchText(long Id, string? Title, string? Standfirst, string? Byline, string Headings, string Bodies)
{
    // Read by hand: the view's headings and bodies are expressions with no declared type, which Dapper would take for blobs.
    public static SearchText Read(System.Data.IDataRecord row) => new(
        row.GetInt64(0),
        row.IsDBNull(1) ? null : row.GetString(1),
        row.IsDBNull(2) ? null : row.GetString(2),
        row.IsDBNull(3) ? null : row.GetString(3),
        row.GetString(4),
        row.GetString(5));

    /// <summary>Runs <paramref name="sql"/> (selecting id and <see cref="SearchIndex.Columns"/>) and reads every row.</summary>
    public static List<SearchText> ReadAll(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<SearchText>();
        while (reader.Read())
        {
            rows.Add(Read(reader));
        }

        return rows;
    }
}
