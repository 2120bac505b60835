using System.Text.Json;

namespace Cms.Api.Http;

public static class QueryValues
{
    /// <summary>
    /// Parses an enum query value by name only ("draft", any case); numbers are refused so that
    /// <c>?status=1</c> can't silently mean something.
    /// </summary>
    public static bool TryParseEnum<T>(string? text, string field, out T? value, out IDictionary<string, string[]> errors)
        where T : struct, Enum
    {
        errors = new Dictionary<string, string[]>();
        value = null;
        if (text is null)
        {
            return true;
        }

        if (!text.Any(char.IsDigit) && Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
        {
            value = parsed;
            return true;
        }

        var names = string.Join(", ", Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName));
        errors[field] = [$"'{field}' must be one of: {names}."];
        return false;
    }

    public static string ToText<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

public static class ErrorDictionaries
{
    public static void Merge(this IDictionary<string, string[]> errors, IDictionary<string, string[]> more)
    {
        foreach (var (key, messages) in more)
        {
            errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, .. messages] : messages;
        }
    }
}
