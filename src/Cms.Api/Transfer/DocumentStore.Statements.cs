using Cms.Api.Data;
using Cms.Api.Search;

namespace Cms.Api.Transfer;

/// <summary>The document store's prepared statements.</summary>
internal sealed partial class DocumentStore
{
    // Each SQL text is prepared on its first run, with the names its values come in, and reused for the transaction.
    private PreparedCommands.Statement? deleteParts;
    private PreparedCommands.Statement? findComment;
    private PreparedCommands.Statement? insertArticle;
    private PreparedCommands.Statement? insertComment;
    private PreparedCommands.Statement? insertPullQuote;
    private PreparedCommands.Statement? insertSection;
    private PreparedCommands.Statement? lastChange;
    private PreparedCommands.Statement? pruneChanges;
    private PreparedCommands.Statement? recordChange;
    private PreparedCommands.Statement? recordChanges;
    private PreparedCommands.Statement? selectArticleId;

    private PreparedCommands.Statement DeletePartsStatement => deleteParts ??= prepared.Prepare(StoredDocuments.DeleteParts, "@Id");

    private PreparedCommands.Statement FindCommentStatement => findComment ??= prepared.Prepare(StoredDocuments.FindComment, "@ArticleId", "@Name", "@Body", "@CreatedAt");

    private PreparedCommands.Statement InsertArticleStatement => insertArticle ??= prepared.Prepare(InsertArticle, "@Slug", "@Title", "@Standfirst", "@Byline", "@Status", "@PublishAt", "@PublishedAt", "@CommentsOpen", "@Now");

    private PreparedCommands.Statement InsertCommentStatement => insertComment ??= prepared.Prepare(InsertComment, "@ArticleId", "@ParentId", "@Name", "@Email", "@Website", "@Body", "@BodyHash", "@Status", "@CreatedAt");

    private PreparedCommands.Statement InsertPullQuoteStatement => insertPullQuote ??= prepared.Prepare(InsertPullQuote, "@ArticleId", "@SectionId", "@Text", "@Attribution", "@AfterParagraph", "@Now");

    private PreparedCommands.Statement InsertSectionStatement => insertSection ??= prepared.Prepare(InsertSection, "@ArticleId", "@Position", "@Heading", "@Body", "@Now");

    private PreparedCommands.Statement LastChangeStatement => lastChange ??= prepared.Prepare(SearchIndex.LastChange);

    private PreparedCommands.Statement PruneChangesStatement => pruneChanges ??= prepared.Prepare(PruneChanges, "@Applied");

    private PreparedCommands.Statement RecordChangeStatement => recordChange ??= prepared.Prepare(SearchIndex.RecordChange, "@Id");

    private PreparedCommands.Statement RecordChangesStatement => recordChanges ??= prepared.Prepare(SearchIndex.RecordChanges, "@Ids");

    private PreparedCommands.Statement SelectArticleIdStatement => selectArticleId ??= prepared.Prepare(SelectArticleId, "@Slug");
}
