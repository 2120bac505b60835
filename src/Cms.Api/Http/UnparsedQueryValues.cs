using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Cms.Api.Http;

/// <summary>
/// Names the query value a request delegate could not parse. The endpoints' request delegates are generated at
/// compile time (the Request Delegate Generator: it shortens start-up), and the generated code
/// answers an unparsable optional value such as <c>?limit=abc</c> for an <c>int?</c> with a bare 400, without the
/// exception that <see cref="RouteHandlerOptions.ThrowOnBadRequest"/> gives every other binding failure. The endpoint's
/// binding metadata says which parameters are parsed; the first whose value does not parse is the culprit.
/// </summary>
internal static class UnparsedQueryValues
{
    /// <summary>The same error <see cref="BadRequestExceptionHandler"/> gives for a failed bind, or null if none is found.</summary>
    public static (string Field, string Value, string Expected)? Find(HttpContext context)
    {
        var parameters = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [];
        foreach (var parameter in parameters)
        {
            if (!parameter.HasTryParse)
            {
                continue;
            }

            var field = parameter.ParameterInfo.GetCustomAttributes(inherit: true).OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
                ?? parameter.Name;
            var value = context.Request.Query[field].ToString();
            var type = Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType) ?? parameter.ParameterInfo.ParameterType;
            if (value.Length > 0 && !Parses(type, value))
            {
                return (field, value, JsonErrors.DescribeType(type.FullName ?? type.Name));
            }
        }

        return null;
    }

    private static bool Parses(Type type, string value)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out _);
        }

        var arguments = new object?[] { value, CultureInfo.InvariantCulture, null };
        if (type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]) is { } withProvider)
        {
            return (bool)withProvider.Invoke(null, arguments)!;
        }

        // Without a parser we cannot tell: report nothing rather than blame the wrong value.
        return type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]) is not { } plain
            || (bool)plain.Invoke(null, [value, null])!;
    }
}
