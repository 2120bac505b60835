using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cms.Api.Data;

namespace Cms.Api.Auth;

/// <summary>
/// Signed, expiring tokens that let someone without a key read one unpublished article: <c>{id}.{expires}.{signature}</c>,
/// the signature an HMAC-SHA256, under a secret every node shares (kept in the database, made at first use), of the
/// article's id, the expiry and the article's <c>publishedAt</c>. A token stops working when it expires, when the
/// article is published (a published article is public; its first publication also changes what was signed, so the
/// token never shows a later draft), and when the secret is replaced (<see cref="RevokeAllAsync"/>).
/// </summary>
public sealed class PreviewLinks(CmsDatabase database, TimeProvider clock)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    private const string SecretName = "preview-links";
    private const string SelectSecret = "SELECT value FROM server_secrets WHERE name = @Name";
    private const string AddSecret = "INSERT INTO server_secrets (name, value) VALUES (@Name, @Value) ON CONFLICT (name) DO NOTHING";
    private const string ReplaceSecret = "INSERT INTO server_secrets (name, value) VALUES (@Name, @Value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(long articleId, DateTimeOffset? publishedAt, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var secret = await database.SingleOrDefaultAsync<string>(SelectSecret, new { Name = SecretName }, cancellationToken);
        if (secret is null)
        {
            await using (var write = await database.BeginWriteAsync(cancellationToken))
            {
                await write.ExecuteAsync(AddSecret, new { Name = SecretName, Value = NewSecret() });
                secret = await write.ScalarAsync<string>(SelectSecret, new { Name = SecretName });
                await write.CommitAsync();
            }
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((clock.GetUtcNow() + lifetime).ToUnixTimeSeconds());
        var claims = $"{articleId.ToString(CultureInfo.InvariantCulture)}.{expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        return ($"{claims}.{Sign(secret!, claims, publishedAt)}", expiresAt);
    }

    /// <summary>Whether <paramref name="token"/> opens this article now.</summary>
    public async Task<bool> OpensAsync(string token, long articleId, DateTimeOffset? publishedAt, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id != articleId
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || clock.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return false;
        }

        var secret = await database.SingleOrDefaultAsync<string>(SelectSecret, new { Name = SecretName }, cancellationToken);
        return secret is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, $"{parts[0]}.{parts[1]}", publishedAt)), Encoding.ASCII.GetBytes(parts[2]));
    }

    /// <summary>Replaces the secret: every preview link given out so far stops working, on every node at once.</summary>
    public async Task RevokeAllAsync(CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        await write.ExecuteAsync(ReplaceSecret, new { Name = SecretName, Value = NewSecret() });
        await write.CommitAsync();
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string Sign(string secret, string claims, DateTimeOffset? publishedAt)
    {
        var signed = $"{claims}.{(publishedAt is { } at ? Timestamps.ToText(at) : "-")}";
        return Base64Url.EncodeToString(HMACSHA256.HashData(Convert.FromBase64String(secret), Encoding.UTF8.GetBytes(signed)));
    }
}
