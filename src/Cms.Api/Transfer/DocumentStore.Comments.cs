using Cms.Api.Comments;
using Cms.Api.Http;


namespace Cms.Api.Transfer;

/// <summary>A bundle's comments, written by the document store that wrote (or found) their articles.</summary>
internal sealed partial class DocumentStore
{
    // The comments added so far to the article this store created last: an import lists an article's comments right
    // after it, and an article created here has no others, so this map answers "is it already there?" for them
    // without a query (ten million of them at a million articles). Any other article's comments are looked up.
    private long newestCreatedArticle;
    private readonly Dictionary<CommentKey, long> newestArticleComments = [];
    private const string InsertComment = """
        INSERT INTO comments (article_id, parent_id, name, email, website, body, body_hash, status, created_at, updated_at, version, imported)
        VALUES (@ArticleId, @ParentId, @Name, @Email, @Website, @Body, @BodyHash, @Status, @CreatedAt, @CreatedAt, 1, 1)
        """;

    /// <summary>
    /// Adds a bundle comment unless the same one (article, name, body, createdAt) is already there, so importing a
    /// bundle twice does not duplicate its comments. Returns null when the article does not exist.
    /// </summary>
    public (Change Change, long Id)? AddComment(CommentDocument comment, CommentFacts facts, long? parentId)
    {
        if (FindArticleId(comment.Article!) is not { } articleId)
        {
            return null;
        }

        var ofNewestArticle = articleId == newestCreatedArticle;
        var storedCreatedAt = facts.CreatedAt; // compared as stored, as the query compares it
        var existing = ofNewestArticle
            ? (newestArticleComments.TryGetValue(new CommentKey(comment.Name, comment.Body, storedCreatedAt, facts.BodyHash), out var known) ? known : (long?)null)
            : FindCommentStatement.ScalarLong(articleId, comment.Name, comment.Body, storedCreatedAt);
        if (existing is { } id)
        {
            return (Change.Unchanged, id);
        }

        var newId = InsertCommentStatement.Insert(articleId, parentId, comment.Name, string.IsNullOrEmpty(comment.Email) ? null : comment.Email, string.IsNullOrEmpty(comment.Website) ? null : comment.Website, comment.Body, facts.BodyHash, QueryValues.ToText(comment.Status ?? CommentStatus.Pending), storedCreatedAt);
        if (ofNewestArticle)
        {
            newestArticleComments[new CommentKey(comment.Name, comment.Body, storedCreatedAt, facts.BodyHash)] = newId;
        }

        return (Change.Created, newId);
    }
}
