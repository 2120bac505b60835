using System.Runtime.InteropServices;

namespace Cms.Api.Data;

/// <summary>
/// Gives memory that native code (SQLite) freed back to the operating system. glibc keeps freed blocks for reuse, so a
/// bulk write's large page cache (<see cref="BulkWriteSettings"/>) would otherwise stay in the process's resident set
/// long after the import had freed it.
/// </summary>
internal static class NativeMemory
{
    private static bool unavailable = !OperatingSystem.IsLinux();

    public static void ReturnFreedToSystem()
    {
        if (unavailable)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true; // not glibc (musl has no malloc_trim): its allocator decides
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
