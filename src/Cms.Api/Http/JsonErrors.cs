using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cms.Api.Http;

/// <summary>
/// What a JSON reading failure means for the one who sent it, in their words: the field (as a validation error keys it)
/// and what was expected there, never a .NET type. Used for request bodies and for each item of a bulk import.
/// </summary>
public static partial class JsonErrors
{
    /// <summary>The field at fault (null for a syntax error, which has no field) and what to do about it.</summary>
    public static (string? Field, string Message) Describe(JsonException json)
    {
        var unknown = UnmappedMember().Match(json.Message);
        if (unknown.Success)
        {
            return (FieldKey(json.Path, unknown.Groups["name"].Value), "Unknown field. Check the spelling against the API documentation.");
        }

        var conversion = ConversionFailure().Match(json.Message);
        if (conversion.Success || json.Message.StartsWith("Expected an ISO 8601", StringComparison.Ordinal))
        {
            var expected = conversion.Success ? DescribeType(conversion.Groups["type"].Value) : "an ISO 8601 date-time such as 2026-11-25T06:00:00Z";
            return (FieldKey(json.Path, null), $"Expected {expected}.");
        }

        // Syntax errors: the reader's message names the problem and where it is.
        var where = json.LineNumber is { } line ? $"line {line + 1}, position {json.BytePositionInLine + 1}: " : string.Empty;
        return (null, where + StripLocation(json.Message));
    }

    /// <summary>A .NET type, as the one who sent the value would call what was expected.</summary>
    public static string DescribeType(string typeName)
    {
        var bare = typeName.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']')
            .Replace("Nullable<", string.Empty, StringComparison.Ordinal).TrimEnd('>');
        bare = bare.Split(',')[0].Trim().TrimEnd('?');
        var shortName = bare[(bare.LastIndexOf('.') + 1)..];
        return shortName switch
        {
            "Int32" or "Int64" or "int" or "long" => "a whole number",
            "String" or "string" => "a string",
            "Boolean" or "bool" => "true or false",
            "DateTimeOffset" => "an ISO 8601 date-time such as 2026-11-25T06:00:00Z",
            _ when Type.GetType(bare) is { IsEnum: true } enumType =>
                "one of: " + string.Join(", ", Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName)),
            _ when bare.EndsWith("[]", StringComparison.Ordinal) || bare.Contains("List`1", StringComparison.Ordinal) => "an array",
            _ => "a JSON value of the documented type",
        };
    }

    /// <summary>"$.sections[1].body" → "sections[1].body", matching the keys of validation errors.</summary>
    private static string FieldKey(string? path, string? member)
    {
        var key = string.IsNullOrEmpty(path) || path == "$" ? string.Empty : path.TrimStart('$').TrimStart('.');
        if (member is not null && !key.EndsWith(member, StringComparison.Ordinal))
        {
            key = key.Length == 0 ? member : $"{key}.{member}";
        }

        return key.Length == 0 ? "$" : key;
    }

    private static string StripLocation(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    [GeneratedRegex("""The JSON property '(?<name>[^']+)' could not be mapped""")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("""could not be converted to (?<type>[^ ]+?)\.( Path|$)""")]
    private static partial Regex ConversionFailure();
}
