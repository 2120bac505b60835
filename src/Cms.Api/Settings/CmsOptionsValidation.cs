using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using System.Net;
using System.Reflection;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace Cms.Api.Settings;

/// <summary>
/// Binds the <c>Cms</c> section and refuses, at start-up, what the binder would silently ignore or turn into a crash
/// later: a key that names no setting (a typo), a value of the wrong kind, a number out of range, a proxy that is not
/// an address or network, an origin that is not a URL. Each message names the setting as it is written in configuration.
/// </summary>
public static class CmsOptionsValidation
{
    public static IServiceCollection AddCmsSettings(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(CmsOptions.Section);
        services.AddOptions<CmsOptions>()
            .Configure(options =>
            {
                ThrowIfUnreadable(section);
                section.Bind(options);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CmsOptions>, Validator>();
        return services;
    }

    /// <summary>Every problem with the bound values, each naming its setting.</summary>
    public static List<string> Problems(CmsOptions options)
    {
        var problems = new List<string>();
        // The options and each of their sections (every property holding a settings class), so that a section added
        // later is checked without being listed here.
        var sections = typeof(CmsOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string) && !p.PropertyType.IsArray)
            .Select(p => p.GetValue(options)!);
        foreach (var target in sections.Prepend(options))
        {
            var results = new List<ValidationResult>();
            System.ComponentModel.DataAnnotations.Validator.TryValidateObject(target, new ValidationContext(target), results, validateAllProperties: true);
            problems.AddRange(results.Select(r => r.ErrorMessage ?? "A setting is not valid."));
        }

        for (var i = 0; i < options.TrustedProxies.Length; i++)
        {
            if (!TryParseNetwork(options.TrustedProxies[i], out _))
            {
                problems.Add($"Cms:TrustedProxies:{i}: '{options.TrustedProxies[i]}' is neither an IP address nor a CIDR network (such as 10.0.0.0/8).");
            }
        }

        for (var i = 0; i < options.Cors.Origins.Length; i++)
        {
            if (!Uri.TryCreate(options.Cors.Origins[i], UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https"))
            {
                problems.Add($"Cms:Cors:Origins:{i}: '{options.Cors.Origins[i]}' is not an origin such as https://www.example.org.");
            }
        }

        return problems;
    }

    /// <summary>An address (a network of one) or a CIDR network.</summary>
    public static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    // Walks the configured keys against the options' properties before binding: the binder would skip an unknown key
    // and throw, naming .NET types, on a value it cannot convert.
    private static void ThrowIfUnreadable(IConfigurationSection section)
    {
        var problems = new List<string>();
        Check(section, typeof(CmsOptions), problems);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(CmsOptions.Section, typeof(CmsOptions), problems);
        }
    }

    private static void Check(IConfigurationSection section, Type type, List<string> problems)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                problems.Add($"{child.Path}: there is no such setting. Settings here: {string.Join(", ", properties.Keys.Select(k => $"{section.Path}:{k}"))}.");
                continue;
            }

            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsArray)
            {
                foreach (var item in child.GetChildren())
                {
                    CheckValue(item, propertyType.GetElementType()!, problems);
                }
            }
            else if (propertyType.IsClass && propertyType != typeof(string))
            {
                if (!string.IsNullOrEmpty(child.Value))
                {
                    problems.Add($"{child.Path}: a section, not a value. Settings here: {string.Join(", ", propertyType.GetProperties().Select(p => $"{child.Path}:{p.Name}"))}.");
                }

                Check(child, propertyType, problems);
            }
            else
            {
                CheckValue(child, propertyType, problems);
            }
        }
    }

    private static void CheckValue(IConfigurationSection setting, Type type, List<string> problems)
    {
        if (setting.GetChildren().Any())
        {
            problems.Add($"{setting.Path}: expected a single value, not a section.");
            return;
        }

        if (setting.Value is null or "" || type == typeof(string))
        {
            return;
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(setting.Value);
        }
        catch (Exception exception) when (exception is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            problems.Add($"{setting.Path}: '{setting.Value}' is not {Describe(type)}.");
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(TimeSpan) => "a duration such as 00:00:30",
        _ => "a valid value",
    };

    private sealed class Validator : IValidateOptions<CmsOptions>
    {
        public ValidateOptionsResult Validate(string? name, CmsOptions options)
        {
            var problems = Problems(options);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
