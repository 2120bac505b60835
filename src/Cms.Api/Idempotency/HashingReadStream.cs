using System.Security.Cryptography;

namespace Cms.Api.Idempotency;

/// <summary>Hashes a request body as the endpoint reads it.</summary>
internal sealed class HashingReadStream(Stream inner, IncrementalHash hash) : Stream
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
