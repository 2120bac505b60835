using System.Text.RegularExpressions;

namespace Cms.Api.Tests;

/// <summary>
/// The layout's rules, read from the source: dependencies point one way (features → shared plumbing → data, the
/// composition root above them all), and a file long enough to be hard to read says why at its top.
/// </summary>
public sealed partial class ArchitectureTests
{
    // Folders of src/Cms.Api by layer. Features may use plumbing and data; plumbing may use plumbing and data; data and
    // settings use nothing of ours. Only the composition root (Hosting, Program.cs) knows everything.
    private static readonly string[] Data = ["Data", "Settings", "Instrumentation"];
    private static readonly string[] Plumbing = ["Http", "Caching", "Auth", "Idempotency", "Search", "Observability"];
    private static readonly string[] Features = ["Articles", "Comments", "Transfer", "Auth.Keys", "Revisions", "Webhooks", "Previews", "Reader"];

    private const int MaxLines = 300;

    private static IEnumerable<(string File, string Namespace, string[] Uses)> SourceFiles()
    {
        var root = RepositoryFiles.Path("src", "Cms.Api");
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var ns = NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : "Cms.Api";
            var uses = UsingLine().Matches(text).Select(u => u.Groups[1].Value)
                .Concat(QualifiedName().Matches(UsingLine().Replace(NamespaceLine().Replace(text, ""), "")).Select(q => q.Groups[1].Value))
                .Select(Area).Distinct().ToArray();
            yield return (Path.GetRelativePath(root, file), Area(ns), uses);
        }
    }

    // "Cms.Api.Auth.Keys.KeyStore" → "Auth.Keys"; "Cms.Api.Articles.Sections" → "Articles" (parts of the article feature).
    private static string Area(string name)
    {
        var parts = name.Split('.').Skip(2).ToArray();
        if (parts.Length == 0)
        {
            return "";
        }

        return parts[0] == "Auth" && parts.Length > 1 && parts[1] == "Keys" ? "Auth.Keys" : parts[0];
    }

    [Test]
    public void Data_and_settings_depend_on_nothing_of_ours()
    {
        var wrong = SourceFiles().Where(f => Data.Contains(f.Namespace))
            .SelectMany(f => f.Uses.Where(u => u != f.Namespace && u != "" && !(f.Namespace == "Data" && u is "Settings" or "Instrumentation")).Select(u => $"{f.File} uses {u}"));

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Shared_plumbing_depends_only_on_plumbing_and_data()
    {
        var wrong = SourceFiles().Where(f => Plumbing.Contains(f.Namespace))
            .SelectMany(f => f.Uses.Where(u => u != "" && !Plumbing.Contains(u) && !Data.Contains(u)).Select(u => $"{f.File} uses {u}"));

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Nothing_but_the_composition_root_depends_on_it()
    {
        var wrong = SourceFiles().Where(f => f.Namespace != "Hosting" && f.Namespace != "")
            .SelectMany(f => f.Uses.Where(u => u == "Hosting").Select(u => $"{f.File} uses {u}"));

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Every_folder_is_in_a_layer()
    {
        var known = Data.Concat(Plumbing).Concat(Features).Append("Hosting").Append("").ToHashSet();

        Assert.That(SourceFiles().Select(f => f.Namespace).Distinct().Where(ns => !known.Contains(ns)), Is.Empty);
    }

    [Test]
    public void A_file_over_300_lines_says_why_at_its_top()
    {
        var root = RepositoryFiles.Path("src", "Cms.Api");
        var unexplained = SourceFiles()
            .Select(f => (f.File, Lines: File.ReadAllLines(Path.Combine(root, f.File))))
            .Where(f => f.Lines.Length > MaxLines && !f.Lines[0].StartsWith("// Longer than", StringComparison.Ordinal))
            .Select(f => $"{f.File}: {f.Lines.Length} lines");

        Assert.That(unexplained, Is.Empty);
    }

    [GeneratedRegex(@"^namespace (Cms\.Api[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (Cms\.Api[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"\b(Cms\.Api\.[A-Z]\w*(?:\.[A-Z]\w*)?)")]
    private static partial Regex QualifiedName();
}
