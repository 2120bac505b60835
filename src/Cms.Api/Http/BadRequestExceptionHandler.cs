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
            var expected = JsonErrors.DescribeType(bind.Groups["type"].Value);
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
        var (field, message) = JsonErrors.Describe(json);
        return field is null
            ? Problems.BadRequest($"The request body is not valid JSON: {message}")
            : Problems.Validation(
                message.StartsWith("Unknown field", StringComparison.Ordinal)
                    ? $"The request has a field this resource does not have: '{field[(field.LastIndexOf('.') + 1)..]}'."
                    : $"The field '{field}' has the wrong type or value.",
                new Dictionary<string, string[]> { [field] = [message] });
    }

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from "(?<value>.*)"\.""")]
    private static partial Regex FailedBind();
}
