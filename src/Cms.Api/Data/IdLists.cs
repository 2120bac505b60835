using Dapper;

namespace Cms.Api.Data;

/// <summary>
/// <c>IN @Ids</c> for a list of ids, written out as one parameter per id. Dapper does that itself for SQLite but sends a
/// list to PostgreSQL as one array, which <c>IN</c> cannot take; written out here, the same SQL runs on both engines.
/// </summary>
internal static class IdLists
{
    public static (string Sql, DynamicParameters Parameters) Expand(string sql, IReadOnlyCollection<long> ids, object? others = null)
    {
        var parameters = new DynamicParameters(others);
        var names = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            var name = $"@Ids{names.Count}";
            names.Add(name);
            parameters.Add(name, id);
        }

        // An empty list matches nothing (and "IN ()" is SQLite's only).
        var list = names.Count == 0 ? "(SELECT 0 WHERE 1 = 0)" : $"({string.Join(", ", names)})";
        return (sql.Replace("IN @Ids", $"IN {list}", StringComparison.Ordinal), parameters);
    }
}
