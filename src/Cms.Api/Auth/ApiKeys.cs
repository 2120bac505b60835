using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text;
using Cms.Api.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cms.Api.Auth;

/// <summary>
/// The keys this instance accepts, held as SHA-256 hashes: loaded at start-up, added to and revoked from by the
/// keys API, so a revoke takes effect on the very next request.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly Lock gate = new();
    private volatile KnownKey[] keys = [];

    public void Add(string name, string role, byte[] hash, long? id = null)
    {
        lock (gate)
        {
            if (id is null || keys.All(k => k.Id != id))
            {
                keys = [.. keys, new KnownKey(id, name, role, hash)];
            }
        }
    }

    public void Remove(long id)
    {
        lock (gate)
        {
            keys = keys.Where(k => k.Id != id).ToArray();
        }
    }

    public int Count => keys.Length;

    public KnownKey? Find(string presentedKey)
    {
        var presentedHash = Hash(presentedKey);
        KnownKey? match = null;
        // Compare against every key, each in constant time, so timing reveals neither which key nor how much matched.
        foreach (var key in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presentedHash, key.Hash))
            {
                match = key;
            }
        }

        return match;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A new random key: "cms_" and 43 URL-safe characters (256 bits).</summary>
    public static string Generate() =>
        "cms_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A key; <c>Id</c> is null for the key from configuration (Cms:AdminKey), which lives in no table.</summary>
    public sealed record KnownKey(long? Id, string Name, string Role, byte[] Hash);
}

public static class Roles
{
    /// <summary>Everything, including managing keys.</summary>
    public const string Admin = "admin";

    /// <summary>All content and moderation.</summary>
    public const string Editor = "editor";

    public static readonly string[] All = [Admin, Editor];

    /// <summary>The authorization policy for admin-only endpoints.</summary>
    public const string AdminPolicy = "admin";
}

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the registered keys.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry registry,
    CmsDatabase database,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private const string SelectKey =
        "SELECT id AS Id, name AS Name, role AS Role, key_hash AS Hash FROM api_keys WHERE key_hash = @Hash AND revoked_at IS NULL";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'.");
        }

        var presented = header["Bearer ".Length..].Trim();
        var key = registry.Find(presented);
        if (key is null && await database.SingleOrDefaultAsync<ApiKeyRegistry.KnownKey>(SelectKey, new { Hash = ApiKeyRegistry.Hash(presented) }, Context.RequestAborted) is { } stored)
        {
            // Made since this node loaded its keys: by the keys command (scripts/create-key.sh) or on another node.
            registry.Add(stored.Name, stored.Role, stored.Hash, stored.Id);
            key = stored;
        }

        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid (unknown or revoked).");
        }

        await Context.RequestServices.GetRequiredService<KeyUsage>().TouchAsync(key);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? "Bearer realm=\"cms\""
            : "Bearer realm=\"cms\", error=\"invalid_token\"";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required.",
                Detail = result.Failure?.Message ?? "This operation needs an API key: send 'Authorization: Bearer <key>'.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden.",
                Detail = "This API key's role does not allow this operation.",
            },
        });
    }
}

public static class Access
{
    /// <summary>True when the request carries a valid API key (editors see drafts, e-mails and every comment status).</summary>
    public static bool HasKey(this HttpContext context) => context.User.Identity?.IsAuthenticated == true;

    /// <summary>
    /// A request that sends a key must send a valid one, even on public routes: a CI job with a mistyped key
    /// should hear 401, not silently get the public view. The health checks are the exception: a probe's answer must not
    /// depend on a header a proxy or a platform may add.
    /// </summary>
    public const string HealthPath = "/healthz";

    public const string ReadyPath = "/readyz";

    public static IApplicationBuilder RejectInvalidKeys(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (result.Failure is not null && !context.Request.Path.StartsWithSegments(HealthPath) && !context.Request.Path.StartsWithSegments(ReadyPath))
        {
            await context.ChallengeAsync(ApiKeyAuthenticationHandler.SchemeName);
            return;
        }

        await next(context);
    });
}
