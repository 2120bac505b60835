namespace Cms.Api.Tests;

internal static class RepositoryFiles
{
    /// <summary>A path inside the repository (found by walking up to Cms.sln).</summary>
    public static string Path(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Cms.sln")))
        {
            directory = directory.Parent;
        }

        Assert.That(directory, Is.Not.Null, "could not find the repository root (Cms.sln)");
        return System.IO.Path.Combine([directory!.FullName, .. parts]);
    }
}
