using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json;
using Cms.Api.Data;

namespace Cms.Api.Http;

public static class Json
{
    /// <summary>One set of JSON rules for every request and response.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestampConverter());
        // A misspelt field ("tittle") is an error, not an edit that silently does nothing.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // Numbers must be JSON numbers: "5" for a position is a type error, as the schema says.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Text stays readable: < > & ' + and every non-ASCII character (é, “”) as they are, only what JSON itself needs
        // escaped (" \ and control characters). Safe for application/json, which every response is and which
        // browsers never sniff as HTML (X-Content-Type-Options: nosniff); a page that inlines this JSON in a <script>
        // must escape it there, as it must any data.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    /// <summary>Writes timestamps as ISO 8601 UTC ("2026-11-25T06:00:00.000Z").</summary>
    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // The usual form (ISO 8601 with Z, as written by export) is read straight from the UTF-8 bytes; anything
            // else goes through the lenient parser.
            if (!reader.ValueIsEscaped && reader.ValueSpan is [.., (byte)'Z'] && reader.TryGetDateTimeOffset(out var utc))
            {
                return utc.ToUniversalTime();
            }

            var text = reader.GetString();
            if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                throw new JsonException("Expected an ISO 8601 date-time such as 2026-11-25T06:00:00Z.");
            }

            return value.ToUniversalTime();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Timestamps.ToText(value));
    }
}
