using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cms.Api.Data;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;

namespace Cms.Api.Idempotency;

/// <summary>Marks a POST that honours the Idempotency-Key header.</summary>
public sealed class Idempotent;

/// <summary>Marks an endpoint whose request body may exceed the 1 MiB default (bulk import).</summary>
public sealed class LargeBody;

/// <summary>
/// Idempotency-Key on POST: the first answer to a key is stored (24 h) and replayed to a retry with the same key, caller,
/// route and body, so a retried create or import never writes twice. The same key with a different body is 422; a retry
/// while the first is still running is 409.
/// <para>
/// The answer is recorded in the same transaction as the write it answers (<see cref="DeferredCommit"/>): after a crash
/// a retry finds both or neither, and runs again or replays. A request in progress holds a claim; a claim left by a crash
/// lapses after <c>Cms:Idempotency:LeaseSeconds</c>, so a retry is never locked out for long.
/// </para>
/// </summary>
internal static class IdempotencyMiddleware
{
    public const string Header = "Idempotency-Key";

    // Keys being answered by this process: a retry of one is told to wait, however long its first run takes.
    private static readonly ConcurrentDictionary<(string Scope, string Key), byte> InFlight = new();

    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        string? key = context.Request.Headers[Header];
        if (string.IsNullOrEmpty(key) || !HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<Idempotent>() is null)
        {
            await next(context);
            return;
        }

        if (key.Length > 255)
        {
            await Results.Problem(statusCode: 400, title: "The request is not valid.", detail: "An Idempotency-Key is at most 255 characters.").ExecuteAsync(context);
            return;
        }

        var services = context.RequestServices;
        var records = new IdempotencyRecords(
            services.GetRequiredService<CmsDatabase>(),
            Timestamps.Now(services.GetRequiredService<TimeProvider>()),
            TimeSpan.FromSeconds(services.GetRequiredService<IOptions<CmsOptions>>().Value.Idempotency.LeaseSeconds));
        var caller = context.User.Identity?.Name ?? $"anonymous@{context.Connection.RemoteIpAddress}";
        var scope = $"{context.Request.Method} {context.Request.Path} {caller}";
        if (!InFlight.TryAdd((scope, key), 0))
        {
            await InProgress(context);
            return;
        }

        try
        {
            var claim = await records.ClaimAsync(scope, key, context.RequestAborted);
            if (claim.Stored is { } stored)
            {
                await ReplayAsync(context, stored);
                return;
            }

            if (!claim.Claimed)
            {
                await InProgress(context);
                return;
            }

            await AnswerOnceAsync(context, next, records, scope, key);
        }
        finally
        {
            InFlight.TryRemove((scope, key), out _);
        }
    });

    private static async Task AnswerOnceAsync(HttpContext context, RequestDelegate next, IdempotencyRecords records, string scope, string key)
    {
        // The hash outlives the stream: a reader of the body may dispose the stream, and the rest is read after it.
        using var bodyHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = new HashingReadStream(context.Request.Body, bodyHash);
        context.Request.Body = body;
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            StoredResponse? unwrittenAnswer = null;
            var answered = false;
            await using (var deferred = DeferredCommit.Begin())
            {
                await next(context);

                // A 5xx is not an answer: its write (if any) is rolled back with the claim, and a retry runs again. Not the
                // request's token: a client that went away after its write was made is exactly the one that will retry.
                var hash = context.Response.StatusCode < 500 ? await body.HashWholeBodyAsync(CancellationToken.None) : null;
                if (hash is not null)
                {
                    var answer = new StoredResponse(
                        hash, context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.Location.ToString(),
                        context.Response.Headers.ETag.ToString(), buffer.ToArray());
                    if (deferred.HasWrite)
                    {
                        await deferred.CommitAsync(write => records.CompleteAsync(write, scope, key, answer));
                    }
                    else
                    {
                        unwrittenAnswer = answer;
                    }

                    answered = true;
                }
            }

            // The deferral has ended (a write it did not commit above is rolled back): an answer that wrote nothing is
            // recorded in a transaction of its own, and a claim that got no answer is given up, for a retry to run again.
            if (unwrittenAnswer is not null)
            {
                await records.CompleteAsync(scope, key, unwrittenAnswer);
            }
            else if (!answered)
            {
                await records.ReleaseAsync(scope, key);
            }
        }
        catch
        {
            await records.ReleaseAsync(scope, key);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static Task InProgress(HttpContext context) => Results.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Request in progress.",
        detail: "A request with this Idempotency-Key is still being processed. Retry in a moment.").ExecuteAsync(context);

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        var hash = await SHA256.HashDataAsync(context.Request.Body, context.RequestAborted);
        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash))
        {
            await Results.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency-Key reused.",
                detail: "This Idempotency-Key was already used for a different request body. Use a new key for a new request.").ExecuteAsync(context);
            return;
        }

        context.Response.StatusCode = (int)stored.Status;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (!string.IsNullOrEmpty(stored.ContentType))
        {
            context.Response.ContentType = stored.ContentType;
        }

        if (!string.IsNullOrEmpty(stored.Location))
        {
            context.Response.Headers.Location = stored.Location;
        }

        if (!string.IsNullOrEmpty(stored.ETag))
        {
            context.Response.Headers.ETag = stored.ETag;
        }

        if (stored.Body is { Length: > 0 } bytes)
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }
}

/// <summary>A stored answer: what the first request was (its body's hash) and what it was told.</summary>
internal sealed record StoredResponse(byte[] RequestHash, long Status, string? ContentType, string? Location, string? ETag, byte[]? Body);

/// <summary>The idempotency_keys table: claims (status 0) while a request runs, answers once it has run.</summary>
internal sealed class IdempotencyRecords(CmsDatabase database, DateTimeOffset now, TimeSpan lease)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private const string Select = """
        SELECT request_hash AS RequestHash, status AS Status, content_type AS ContentType, location AS Location, etag AS ETag, body AS Body,
               created_at AS CreatedAt
        FROM idempotency_keys WHERE scope = @Scope AND key = @Key AND created_at >= @Since
        """;

    private const string Claim = """
        DELETE FROM idempotency_keys WHERE created_at < @Since;
        DELETE FROM idempotency_keys WHERE scope = @Scope AND key = @Key;
        INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at) VALUES (@Scope, @Key, @Hash, 0, @Now)
        """;

    // An upsert: a claim that lapsed may have been taken over and released by a retry meanwhile.
    private const string Complete = """
        INSERT INTO idempotency_keys (scope, key, request_hash, status, content_type, location, etag, body, created_at)
        VALUES (@Scope, @Key, @Hash, @Status, @ContentType, @Location, @ETag, @Body, @Now)
        ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
            content_type = excluded.content_type, location = excluded.location, etag = excluded.etag, body = excluded.body
        """;

    private const string Release = "DELETE FROM idempotency_keys WHERE scope = @Scope AND key = @Key AND status = 0";

    private const string ClearClaims = "DELETE FROM idempotency_keys WHERE status = 0";

    /// <summary>
    /// Drops every claim: at start-up no request of this database's one process is running, so a claim is one its last
    /// run left when it died, and the retry it stands in the way of should run now, not after the lease.
    /// </summary>
    public static async Task ClearClaimsAsync(CmsDatabase database, CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        await write.ExecuteAsync(ClearClaims);
        await write.CommitAsync();
    }

    /// <summary>
    /// The stored answer to replay; or the claim taken for this request (none stored, or only a lapsed claim); or neither
    /// (another request holds a live claim).
    /// </summary>
    public async Task<(StoredResponse? Stored, bool Claimed)> ClaimAsync(string scope, string key, CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var row = await write.SingleOrDefaultAsync<Row>(Select, new { Scope = scope, Key = key, Since = now - Window });
        if (row is { Status: > 0 })
        {
            return (new StoredResponse(row.RequestHash, row.Status, row.ContentType, row.Location, row.ETag, row.Body), false);
        }

        if (row is not null && row.CreatedAt > now - lease)
        {
            return (null, false);
        }

        await write.ExecuteAsync(Claim, new { Scope = scope, Key = key, Hash = Array.Empty<byte>(), Now = now, Since = now - Window });
        await write.CommitAsync();
        return (null, true);
    }

    /// <summary>Records the answer in the write it answers, which then commits.</summary>
    public Task CompleteAsync(WriteTransaction write, string scope, string key, StoredResponse answer) =>
        write.ExecuteToEndAsync(Complete, Values(scope, key, answer));

    /// <summary>Records an answer that wrote nothing (a 4xx), in a transaction of its own.</summary>
    public async Task CompleteAsync(string scope, string key, StoredResponse answer)
    {
        await using var write = await database.BeginWriteAsync(CancellationToken.None);
        await write.ExecuteToEndAsync(Complete, Values(scope, key, answer));
        await write.CommitAsync();
    }

    /// <summary>Drops this request's claim: it gave no answer to keep, and a retry should run again.</summary>
    public async Task ReleaseAsync(string scope, string key)
    {
        await using var write = await database.BeginWriteAsync(CancellationToken.None);
        await write.ExecuteToEndAsync(Release, new { Scope = scope, Key = key });
        await write.CommitAsync();
    }

    private object Values(string scope, string key, StoredResponse answer) => new
    {
        Scope = scope,
        Key = key,
        Hash = answer.RequestHash,
        answer.Status,
        answer.ContentType,
        answer.Location,
        answer.ETag,
        answer.Body,
        Now = now,
    };

    private sealed record Row(byte[] RequestHash, long Status, string? ContentType, string? Location, string? ETag, byte[]? Body, DateTimeOffset CreatedAt);
}
