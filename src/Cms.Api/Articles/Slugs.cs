using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;

namespace Cms.Api.Articles;

public static partial class Slugs
{
    public const int MaxLength = 200;

    /// <summary>Lowercase a-z, 0-9 and single hyphens, not starting or ending with one, and not all digits (ids are).</summary>
    public static bool IsValid(string slug) => SlugPattern().IsMatch(slug) && !slug.All(char.IsAsciiDigit);

    /// <summary>"Café owners’ 2026 survey!" → "cafe-owners-2026-survey".</summary>
    public static string FromTitle(string title)
    {
        var builder = new StringBuilder(title.Length);
        var pendingHyphen = false;
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’')
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (Transliterations.TryGetValue(lower, out var latin))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(latin);
                pendingHyphen = false;
                continue;
            }

            if (char.IsAsciiLetterLower(lower) || char.IsAsciiDigit(lower))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(lower);
                pendingHyphen = false;
            }
            else
            {
                pendingHyphen = true;
            }
        }

        var slug = builder.Length > 80 ? builder.ToString(0, 80).TrimEnd('-') : builder.ToString();
        return slug.Length == 0 || slug.All(char.IsAsciiDigit) ? $"article-{slug}".TrimEnd('-') : slug;
    }

    // Letters that Unicode normalisation does not split into a base letter and an accent.
    private static readonly Dictionary<char, string> Transliterations = new()
    {
        ['æ'] = "ae", ['ø'] = "o", ['œ'] = "oe", ['ß'] = "ss", ['ł'] = "l", ['đ'] = "d", ['ð'] = "d", ['þ'] = "th", ['ı'] = "i",
    };

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
