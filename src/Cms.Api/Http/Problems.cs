using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cms.Api.Http;

/// <summary>The RFC 9457 problem details this API returns, with the same wording everywhere.</summary>
public static class Problems
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static ProblemDetails BadRequest(string detail) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid.",
        Detail = detail,
    };

    public static HttpValidationProblemDetails Validation(string detail, IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more fields are not valid.",
        Detail = detail,
    };

    public static ProblemDetails PayloadTooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body is too large.",
        Detail = $"Request bodies are limited to {MaxBodyBytes / 1024 / 1024} MiB.",
    };

    public static ProblemDetails UnsupportedMediaType() => new()
    {
        Status = StatusCodes.Status415UnsupportedMediaType,
        Title = "Unsupported content type.",
        Detail = "Send the body as JSON with 'Content-Type: application/json'.",
    };

    /// <summary>Gives the framework's own problem responses (unknown route, wrong method, wrong media type) a detail.</summary>
    public static void FillDefaults(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status == StatusCodes.Status400BadRequest && problem.Detail is null && context.Exception is null
            && UnparsedQueryValues.Find(context.HttpContext) is var (field, value, expected))
        {
            // A bare 400 from a generated request delegate: give it the words of BadRequestExceptionHandler.
            problem.Title = "One or more fields are not valid.";
            problem.Detail = $"'{value}' is not a valid value for '{field}'.";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [$"Expected {expected}."] };
            return;
        }

        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"There is nothing at '{context.HttpContext.Request.Path}'. All routes are under /api/v1; see /swagger.",
            StatusCodes.Status405MethodNotAllowed => $"'{context.HttpContext.Request.Method}' is not allowed on '{context.HttpContext.Request.Path}'.",
            StatusCodes.Status413PayloadTooLarge => PayloadTooLarge().Detail,
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType().Detail,
            _ => null,
        };
    }

    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found.",
        detail: $"There is no {what}.");

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Conflict.",
        detail: detail);

    /// <summary>429; the caller sets Retry-After.</summary>
    public static ProblemHttpResult TooManyRequests(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many requests.",
        detail: detail);

    public static ValidationProblem Invalid(string field, string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [message] },
        detail: message,
        title: "One or more fields are not valid.");
}
