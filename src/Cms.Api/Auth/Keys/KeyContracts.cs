using System.ComponentModel.DataAnnotations;

namespace Cms.Api.Auth.Keys;

/// <summary>An API key as listed: never its secret.</summary>
public sealed record KeyResponse(long Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A new key: the secret appears in this response only; store it now.</summary>
public sealed record CreatedKeyResponse(long Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, string Secret);

public sealed record KeyRequest
{
    /// <summary>What the key is for, e.g. "ci-preview" or "desk-editor-ada". At most 100 characters.</summary>
    [Required]
    public string? Name { get; init; }

    /// <summary>admin (everything, including keys) or editor (all content and moderation).</summary>
    [Required]
    [AllowedValues(Roles.Editor, Roles.Admin)]
    public string? Role { get; init; }
}
