using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Cms.Api.Http;

/// <summary>
/// A JSON request body bound to a named type, for handlers whose body type is a type parameter (the article parts'
/// one shape). ASP.NET Core's route handler analyzer fails on a parameter typed by a type parameter; wrapped, it is a
/// named type. Binds and fails exactly as a plain body parameter does (415 for another media type, 400 naming what is
/// wrong), and is documented as the same request body.
/// </summary>
public sealed class JsonBody<T>(T value) : IEndpointParameterMetadataProvider
    where T : class
{
    public T Value { get; } = value;

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Unsupported media type", StatusCodes.Status415UnsupportedMediaType);
        }

        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, options, context.RequestAborted);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException(exception.Message, StatusCodes.Status400BadRequest, exception);
        }

        return value is null
            ? throw new BadHttpRequestException($"Implicit body inferred for parameter \"{parameter.Name}\" but no body was provided.")
            : new JsonBody<T>(value);
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
}
