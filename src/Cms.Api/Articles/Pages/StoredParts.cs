using System.Buffers.Binary;
using System.IO.Compression;

namespace Cms.Api.Articles.Pages;

/// <summary>
/// How a rendered page's parts are stored: a part of at least <see cref="SmallestPacked"/> bytes is kept Brotli-compressed
/// (at its fastest setting) behind a marker byte and its length, any other as its JSON. Pages are most of a large
/// archive's database, and a database the page cache cannot hold makes every read of the long tail wait on the disk;
/// compressed, several times as many pages stay in memory, for a few microseconds of decompression per read. Parts
/// stored plainly before this (or too small to gain) are read as they are.
/// </summary>
internal static class StoredParts
{
    // Never the first byte of UTF-8 JSON (nor of any UTF-8 text).
    private const byte Packed = 0xFF;
    private const int Header = 1 + sizeof(int);
    private const int SmallestPacked = 512;
    private const int Quality = 1;
    private const int Window = 22;

    public static byte[] Pack(byte[] json)
    {
        if (json.Length < SmallestPacked)
        {
            return json;
        }

        var packed = new byte[Header + BrotliEncoder.GetMaxCompressedLength(json.Length)];
        if (!BrotliEncoder.TryCompress(json, packed.AsSpan(Header), out var written, Quality, Window) || Header + written >= json.Length)
        {
            return json;
        }

        packed[0] = Packed;
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), json.Length);
        return packed[..(Header + written)];
    }

    /// <summary>The length of the JSON a stored part holds.</summary>
    public static int Length(byte[] stored) =>
        IsPacked(stored) ? BinaryPrimitives.ReadInt32LittleEndian(stored.AsSpan(1)) : stored.Length;

    /// <summary>Writes the JSON a stored part holds to <paramref name="destination"/>, which is <see cref="Length"/> long.</summary>
    public static void Unpack(byte[] stored, Span<byte> destination)
    {
        if (!IsPacked(stored))
        {
            stored.CopyTo(destination);
        }
        else if (!BrotliDecoder.TryDecompress(stored.AsSpan(Header), destination, out var written) || written != destination.Length)
        {
            throw new InvalidDataException("A stored page part does not decompress to its recorded length.");
        }
    }

    private static bool IsPacked(byte[] stored) => stored.Length >= Header && stored[0] == Packed;
}
