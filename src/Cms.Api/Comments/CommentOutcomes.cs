using Cms.Api.Instrumentation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Comments;

/// <summary>Public comment posts by outcome, for <see cref="Instruments.Comments"/>.</summary>
internal static class CommentOutcomes
{
    /// <summary>Counts each public post by what came of it (the outermost filter, so it sees the validation's 400 too).</summary>
    public static async ValueTask<object?> CountAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var outcome = ((result as INestedHttpResult)?.Result ?? result as IResult) switch
        {
            Created<CommentResponse> { Value.Status: CommentStatus.Approved } => "published",
            Created<CommentResponse> => "held",
            Accepted<CommentReceived> => "spam",
            IStatusCodeHttpResult { StatusCode: StatusCodes.Status400BadRequest } => "invalid",
            IStatusCodeHttpResult { StatusCode: StatusCodes.Status409Conflict } => "duplicate",
            IStatusCodeHttpResult { StatusCode: StatusCodes.Status429TooManyRequests } => "too_soon",
            _ => "refused",
        };
        Instruments.Comments.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        return result;
    }
}
