using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>Puts each operation's own path examples (<see cref="OperationExamples"/>) in place, and says what its example does.</summary>
internal sealed class ExampleFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (OperationExamples.For(operation.OperationId) is not { } example)
        {
            return;
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.Name is { } name && example.Path?.TryGetValue(name, out var value) == true)
            {
                parameter.Example = parameter.Schema?.Type == JsonSchemaType.Integer && value is long id
                    ? System.Text.Json.Nodes.JsonValue.Create(id)
                    : System.Text.Json.Nodes.JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (example.Note is { } note)
        {
            operation.Description = string.IsNullOrEmpty(operation.Description) ? note : $"{operation.Description}\n\n{note}";
        }
    }
}
