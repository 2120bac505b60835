using System.ComponentModel.DataAnnotations;

namespace Cms.Api.Settings;

public sealed class RevisionSettings
{
    /// <summary>Revisions kept per article; older ones are pruned as new ones are recorded.</summary>
    [Range(1, 100_000, ErrorMessage = "Cms:Revisions:Keep must be between 1 and 100000.")]
    public int Keep { get; set; } = 50;

    /// <summary>Days a deleted article's revisions are kept (it can be restored from them meanwhile).</summary>
    [Range(0, 36_500, ErrorMessage = "Cms:Revisions:KeepDeletedDays must be between 0 and 36500.")]
    public int KeepDeletedDays { get; set; } = 30;
}

public sealed class WebhookSettings
{
    /// <summary>
    /// Lets hooks call loopback, link-local and private addresses (10/8, 172.16/12, 192.168/16, fc00::/7…): for tests and
    /// receivers on the newsroom's own network. Off, such URLs are refused when a hook is saved and again when it is
    /// called (a name that resolves to one is refused too).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Days a finished (delivered or failed) delivery is kept, with its attempts, for the history and to resend.</summary>
    [Range(1, 36_500, ErrorMessage = "Cms:Webhooks:KeepDeliveriesDays must be between 1 and 36500.")]
    public int KeepDeliveriesDays { get; set; } = 30;
}
