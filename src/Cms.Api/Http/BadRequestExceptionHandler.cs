using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Cms.Api.Http;

/// <summary>
/// Turns the framework's request-binding failures (malformed JSON, a wrong JSON type, an unknown field,
/// a non-numeric id, a wrong content type, an oversized body) into problem details that say what to fix.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var problem = Describe(badRequest);
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static Microsoft.AspNetCore.Mvc.ProblemDetails Describe(BadHttpRequestException exception)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return Problems.PayloadTooLarge();
            case StatusCodes.Status415UnsupportedMediaType:
                return Problems.UnsupportedMediaType();
        }

        if (exception.InnerException is JsonException json)
        {
            return DescribeJson(json);
        }

        var bind = FailedBind().Match(exception.Message);
        if (bind.Success)
        {
            var name = bind.Groups["name"].Value;
            var expected = DescribeType(bind.Groups["type"].Value);
            return Problems.Validation(
                $"'{bind.Groups["value"].Value}' is not a valid value for '{name}'.",
                new Dictionary<string, string[]> { [name] = [$"Expected {expected}."] });
        }

        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal)
            || exception.Message.Contains("was not provided from body", StringComparison.Ordinal))
        {
            return Problems.BadRequest("This request needs a JSON body.");
        }

        return Problems.BadRequest(exception.Message);
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails DescribeJson(JsonException json)
    {
        var unknown = UnmappedMember().Match(json.Message);
        if (unknown.Success)
        {
            var field = unknown.Groups["name"].Value;
            return Problems.Validation(
                $"The request has a field this resource does not have: '{field}'.",
                new Dictionary<string, string[]> { [FieldKey(json.Path, field)] = ["Unknown field. Check the spelling against the API documentation."] });
        }

        var conversion = ConversionFailure().Match(json.Message);
        if (conversion.Success || json.Message.StartsWith("Expected an ISO 8601", StringComparison.Ordinal))
        {
            var field = FieldKey(json.Path, null);
            var expected = conversion.Success ? DescribeType(conversion.Groups["type"].Value) : "an ISO 8601 date-time such as 2026-11-25T06:00:00Z";
            return Problems.Validation(
                $"The field '{field}' has the wrong type or value.",
                new Dictionary<string, string[]> { [field] = [$"Expected {expected}."] });
        }

        // Syntax errors: the reader's message names the problem and where it is.
        var where = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : string.Empty;
        return Problems.BadRequest($"The request body is not valid JSON{where}: {StripLocation(json.Message)}");
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

    internal static string DescribeType(string typeName)
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

    private static string StripLocation(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from "(?<value>.*)"\.""")]
    private static partial Regex FailedBind();

    [GeneratedRegex("""The JSON property '(?<name>[^']+)' could not be mapped""")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("""could not be converted to (?<type>[^ ]+?)\.( Path|$)""")]
    private static partial Regex ConversionFailure();
}
