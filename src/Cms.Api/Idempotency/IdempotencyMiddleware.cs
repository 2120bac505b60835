using System.Security.Cryptography;
using Cms.Api.Data;
using Dapper;

namespace Cms.Api.Idempotency;

/// <summary>Marks a POST that honours the Idempotency-Key header.</summary>
public sealed class Idempotent;

/// <summary>Marks an endpoint whose request body may exceed the 1 MiB default (bulk import).</summary>
public sealed class LargeBody;

/// <summary>
/// Idempotency-Key on POST: the first response to a key is stored (24 h) and replayed to a retry with the
/// same key, caller, route and body, so a retried create or import never writes twice. The same key with a
/// different body is 422; a retry while the first is still running is 409.
/// </summary>
internal static class IdempotencyMiddleware
{
    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private const string Select = """
        SELECT request_hash AS RequestHash, status AS Status, content_type AS ContentType, location AS Location, etag AS ETag, body AS Body
        FROM idempotency_keys WHERE scope = @Scope AND key = @Key AND created_at >= @Since
        """;

    private const string Claim = """
        DELETE FROM idempotency_keys WHERE created_at < @Since;
        DELETE FROM idempotency_keys WHERE scope = @Scope AND key = @Key;
        INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at) VALUES (@Scope, @Key, @Hash, 0, @Now)
        """;

    private const string Complete = """
        UPDATE idempotency_keys SET request_hash = @Hash, status = @Status, content_type = @ContentType, location = @Location, etag = @ETag, body = @Body
        WHERE scope = @Scope AND key = @Key
        """;

    private const string Release = "DELETE FROM idempotency_keys WHERE scope = @Scope AND key = @Key";

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

        var database = context.RequestServices.GetRequiredService<CmsDatabase>();
        var now = Timestamps.Now(context.RequestServices.GetRequiredService<TimeProvider>());
        var caller = context.User.Identity?.Name ?? $"anonymous@{context.Connection.RemoteIpAddress}";
        var scope = $"{context.Request.Method} {context.Request.Path} {caller}";
        var parameters = new { Scope = scope, Key = key, Hash = Array.Empty<byte>(), Now = now, Since = now - Window };

        await using (var connection = await database.OpenWriterAsync(context.RequestAborted))
        {
            await using var transaction = CmsDatabase.BeginWrite(connection);
            var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(Select, parameters, transaction, cancellationToken: context.RequestAborted));
            if (stored is not null)
            {
                await transaction.RollbackAsync(context.RequestAborted);
                await ReplayAsync(context, stored);
                return;
            }

            // Claimed before the body is read; its hash is stored with the response. The body is hashed as the
            // endpoint reads it, not first: buffering it to hash it meant writing a whole import (hundreds of
            // megabytes) to a temporary file before importing a line of it.
            await connection.ExecuteAsync(new CommandDefinition(Claim, parameters, transaction, cancellationToken: context.RequestAborted));
            await transaction.CommitAsync(context.RequestAborted);
        }

        // The hash outlives the stream: a reader of the body may dispose the stream, and the rest is read after it.
        using var bodyHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = new HashingReadStream(context.Request.Body, bodyHash);
        context.Request.Body = body;
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(context);
            completed = context.Response.StatusCode < 500;
        }
        finally
        {
            context.Response.Body = original;
            // Not the request's token: a client that went away after its write was made is exactly the one that will
            // retry, and must get the stored answer. A body already read to its end gives 0 at once; a broken one fails.
            var hash = completed ? await body.HashWholeBodyAsync(CancellationToken.None) : null;
            await using var connection = await database.OpenWriterAsync(CancellationToken.None);
            if (hash is not null)
            {
                await connection.ExecuteAsync(Complete, new
                {
                    Scope = scope,
                    Key = key,
                    Hash = hash,
                    Status = context.Response.StatusCode,
                    context.Response.ContentType,
                    Location = context.Response.Headers.Location.ToString(),
                    ETag = context.Response.Headers.ETag.ToString(),
                    Body = buffer.ToArray(),
                });
            }
            else
            {
                // A failure is not an answer: let the retry try again.
                await connection.ExecuteAsync(Release, new { Scope = scope, Key = key });
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    });

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        // While the first request runs its body's hash is not known yet: any retry is told to wait, unread.
        if (stored.Status == 0)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Request in progress.",
                detail: "A request with this Idempotency-Key is still being processed. Retry in a moment.").ExecuteAsync(context);
            return;
        }

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

        if (stored.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>Hashes a request body as the endpoint reads it.</summary>
    private sealed class HashingReadStream(Stream inner, IncrementalHash hash) : Stream
    {
        /// <summary>
        /// Reads whatever the endpoint left unread (one that fails early stops reading), so the hash always covers
        /// the whole body. Null when the rest cannot be read (the client went away, or the body is too large).
        /// </summary>
        public async Task<byte[]?> HashWholeBodyAsync(CancellationToken cancellationToken)
        {
            try
            {
                var rest = new byte[64 * 1024];
                while (await ReadAsync(rest, cancellationToken) > 0)
                {
                }

                return hash.GetHashAndReset();
            }
            catch (Exception exception) when (exception is IOException or BadHttpRequestException or OperationCanceledException)
            {
                return null;
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            hash.AppendData(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            hash.AppendData(buffer, offset, read);
            return read;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed record StoredResponse(byte[] RequestHash, long Status, string? ContentType, string? Location, string? ETag, byte[]? Body);
}
