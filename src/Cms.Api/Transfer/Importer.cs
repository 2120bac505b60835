using Cms.Api.Instrumentation;
using Cms.Api.Caching;
using System.Threading.Channels;
using Cms.Api.Articles;
using Cms.Api.Data;
using FluentValidation.Results;

namespace Cms.Api.Transfer;

/// <summary>
/// Imports a bundle in ONE transaction: every item is validated, and applied while nothing has failed yet;
/// after the first problem it keeps validating (to report every problem, each with its JSON path) but the
/// transaction is rolled back. NDJSON is read line by line, so memory stays flat however large the file.
/// </summary>
internal sealed class Importer(DocumentWriters writers, TimeProvider clock, ScheduledPublisher publisher)
{
    /// <summary>The one event an import emits, with its counts (not one per article).</summary>
    public const string Completed = "import.completed";

    /// <summary>More problems than this are summarised, so a broken 50,000-line file gives a readable answer.</summary>
    public const int MaxReportedErrors = 200;

    private static readonly ArticleDocumentValidator ArticleValidator = new();
    private static readonly CommentDocumentValidator CommentValidator = new();

    public async Task<(ImportResult Result, IDictionary<string, string[]> Errors)> ImportAsync(
        IAsyncEnumerable<BundleItem> items, bool dryRun, CancellationToken cancellationToken)
    {
        var run = new Run();
        await using var documents = await writers.BeginAsync(bulk: true, dryRun, cancellationToken);
        var now = Timestamps.Now(clock);

        await foreach (var (item, validation, commentFacts, sectionText) in ReadAheadAsync(items, now, cancellationToken))
        {
            switch (item)
            {
                case BundleItem.Broken broken:
                    run.Fail(broken.Path, broken.Message);
                    break;
                case BundleItem.Article article:
                    var path = $"articles[{run.ArticleIndex++}]";
                    if (!Check(run, path, validation!))
                    {
                        break;
                    }

                    if (!run.Slugs.Add(article.Document.Slug!))
                    {
                        run.Fail($"{path}.slug", $"The slug '{article.Document.Slug}' appears more than once in this bundle.");
                        break;
                    }

                    if (run.Errors.Count == 0)
                    {
                        var (change, id) = await documents.UpsertAsync(article.Document.Slug!, article.Document, now, sectionText);
                        run.Articles.Count(change);
                        if (change != Change.Unchanged)
                        {
                            run.Written.Add(id);
                        }
                    }

                    break;
                case BundleItem.Comment comment:
                    // Its path only when something is wrong: a million-article import has ten million valid comments.
                    var commentIndex = run.CommentIds.Count;
                    string CommentPath() => $"comments[{commentIndex}]";
                    long? parentId = null;
                    if (comment.Document.Parent is { } parent && parent >= commentIndex)
                    {
                        run.Fail($"{CommentPath()}.parent", "'parent' must be the index of an earlier comment in this bundle.");
                    }
                    else if (comment.Document.Parent is { } earlier and >= 0) // a negative one is the validator's to report
                    {
                        parentId = run.CommentIds[earlier];
                    }

                    var valid = validation!.IsValid || Check(run, CommentPath(), validation);
                    if (comment.Document.Article is { Length: > 0 } slug && !run.Slugs.Contains(slug)
                        && !await documents.ArticleExistsAsync(slug))
                    {
                        run.Fail($"{CommentPath()}.article", $"There is no article '{slug}' in this bundle or the database.");
                        valid = false;
                    }

                    if (!valid || run.Errors.Count > 0)
                    {
                        run.CommentIds.Add(null);
                        break;
                    }

                    var added = (await documents.AddCommentAsync(comment.Document, commentFacts!.Value, parentId))!;

                    run.Comments.Count(added.Value.Change);
                    run.CommentIds.Add(added.Value.Id);
                    break;
            }
        }

        var result = new ImportResult(dryRun, run.Articles.ToCounts(), run.Comments.ToCounts());
        if (run.Errors.Count == 0 && !dryRun)
        {
            documents.Write.Changed(SurrogateKeys.All);
            documents.Write.Revised(run.Written);
            documents.Write.Emit(new OutboxEvent(Completed, "import", new ImportEventData(result.Articles, result.Comments, [SurrogateKeys.All])));
            await documents.CommitAsync();
            Instruments.ImportedArticles.Add(result.Articles.Created + result.Articles.Updated);
            publisher.Wake();
        }

        if (run.Suppressed > 0)
        {
            run.Errors["$"] = [$"…and {run.Suppressed} more problem(s) not listed."];
        }

        return (result, run.Errors);
    }

    /// <summary>
    /// Reads, parses and validates the items on another thread, a bounded distance ahead of the writer, so that on
    /// two cores the parsing and validation (a third of an import's CPU) overlap the writes instead of adding to them.
    /// Items go across in batches: one hand-over per item kept the thread pool busy waking threads. Order is kept;
    /// the writer still applies items one at a time, in one transaction. A valid item comes with what its rows need that
    /// does not depend on the database (a comment's <see cref="CommentFacts"/>, an article's <see cref="SectionText"/>),
    /// also worked out here: the writer's thread is the one the import waits for.
    /// </summary>
    private static async IAsyncEnumerable<ReadItem> ReadAheadAsync(
        IAsyncEnumerable<BundleItem> items, DateTimeOffset now, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int BatchSize = 64;
        var ahead = Channel.CreateBounded<List<ReadItem>>(
            new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                var batch = new List<ReadItem>(BatchSize);
                await foreach (var item in items.WithCancellation(stop.Token))
                {
                    ValidationResult? validation = item switch
                    {
                        BundleItem.Article article => ArticleValidator.Validate(article.Document),
                        BundleItem.Comment comment => CommentValidator.Validate(comment.Document),
                        _ => null,
                    };
                    var valid = validation is { IsValid: true };
                    batch.Add(new ReadItem(
                        item,
                        validation,
                        valid && item is BundleItem.Comment c ? CommentFacts.Of(c.Document, now) : null,
                        valid && item is BundleItem.Article a ? SectionText.Of(a.Document) : null));
                    if (batch.Count == BatchSize)
                    {
                        await ahead.Writer.WriteAsync(batch, stop.Token);
                        batch = new List<ReadItem>(BatchSize);
                    }
                }

                if (batch.Count > 0)
                {
                    await ahead.Writer.WriteAsync(batch, stop.Token);
                }
            }
            finally
            {
                // A failure (a broken connection, say) is rethrown below by awaiting the task, with its own type.
                ahead.Writer.Complete();
            }
        }, CancellationToken.None); // not the token: a task cancelled before it starts would never complete the channel

        try
        {
            await foreach (var batch in ahead.Reader.ReadAllAsync(CancellationToken.None))
            {
                foreach (var entry in batch)
                {
                    yield return entry;
                }
            }
        }
        finally
        {
            // The writer may stop early (an exception, a disconnect): the reader must not go on reading the body.
            await stop.CancelAsync();
            await reader.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        await reader;
    }

    /// <summary>An item as the read-ahead hands it over: validated, and for a valid one what its rows need.</summary>
    private readonly record struct ReadItem(BundleItem Item, ValidationResult? Validation, CommentFacts? CommentFacts, SectionText? SectionText);

    private static bool Check(Run run, string path, ValidationResult result)
    {
        foreach (var failure in result.Errors)
        {
            run.Fail($"{path}.{failure.PropertyName}", failure.ErrorMessage);
        }

        return result.IsValid;
    }

    private sealed class Run
    {
        public Dictionary<string, string[]> Errors { get; } = [];
        public int Suppressed { get; private set; }
        public HashSet<string> Slugs { get; } = new(StringComparer.Ordinal);
        public List<long?> CommentIds { get; } = [];
        public int ArticleIndex { get; set; }
        public Counter Articles { get; } = new();

        /// <summary>The articles created or changed: their revisions are recorded as the import commits.</summary>
        public List<long> Written { get; } = [];
        public Counter Comments { get; } = new();

        public void Fail(string path, string message)
        {
            if (Errors.Count >= MaxReportedErrors && !Errors.ContainsKey(path))
            {
                Suppressed++;
                return;
            }

            Errors[path] = Errors.TryGetValue(path, out var existing) ? [.. existing, message] : [message];
        }
    }

    private sealed class Counter
    {
        private int created;
        private int updated;
        private int unchanged;

        public void Count(Change change)
        {
            switch (change)
            {
                case Change.Created: created++; break;
                case Change.Updated: updated++; break;
                default: unchanged++; break;
            }
        }

        public ChangeCounts ToCounts() => new(created, updated, unchanged);
    }
}

/// <summary>What <c>import.completed</c>'s <c>data</c> says.</summary>
internal sealed record ImportEventData(ChangeCounts Articles, ChangeCounts Comments, IReadOnlyList<string> SurrogateKeys);

