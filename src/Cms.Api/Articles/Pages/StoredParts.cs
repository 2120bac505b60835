using System.Buffers.Binary;
using System.IO.Compression;

namespace Cms.Api.Articles.Pages;

/// <summary>
/// How a rendered page's parts are stored: a part of at least <see cref="SmallestPacked"/> bytes is kept compressed
/// behind a marker byte and its length, any other as its JSON. Pages are most of a large archive's database, and a
/// database the page cache cannot hold makes every read of the long tail wait on the disk; compressed, many more pages
/// stay in memory, for microseconds of decompression per read. Deflate rather than Brotli: it decompresses
/// faster and, at its default level, packs this JSON as tightly as Brotli's fastest. Parts stored plainly before this (or
/// too small to gain) are read as they are.
/// </summary>
internal static class StoredParts
{
    // Never the first byte of UTF-8 JSON (nor of any UTF-8 text).
    private const byte Packed = 0xFF;
    private const int Header = 1 + sizeof(int);
    private const int SmallestPacked = 512;

    public static byte[] Pack(byte[] json)
    {
        if (json.Length < SmallestPacked)
        {
            return json;
        }

        using var packed = new MemoryStream(json.Length / 2);
        packed.Write([Packed, 0, 0, 0, 0]);
        using (var deflate = new DeflateStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(json);
        }

        if (packed.Length >= json.Length)
        {
            return json;
        }

        var stored = packed.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(stored.AsSpan(1), json.Length);
        return stored;
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
            return;
        }

        using var deflate = new DeflateStream(new MemoryStream(stored, Header, stored.Length - Header, writable: false), CompressionMode.Decompress);
        deflate.ReadExactly(destination);
    }

    private static bool IsPacked(byte[] stored) => stored.Length >= Header && stored[0] == Packed;
}
