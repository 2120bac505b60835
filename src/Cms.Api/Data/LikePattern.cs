namespace Cms.Api.Data;

/// <summary>Text to find inside a <c>LIKE … ESCAPE '\'</c> pattern, its wildcards and the escape character taken literally.</summary>
internal static class LikePattern
{
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
