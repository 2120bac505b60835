using FluentValidation;
using FluentValidation.Internal;
using System.Text.Json;

namespace Cms.Api.Common;

public static class Validation
{
    /// <summary>Error keys and messages use the camelCase JSON field names clients send.</summary>
    public static void UseJsonFieldNames()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) => JsonName(member, expression);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, expression) => JsonName(member, expression);
    }

    private static string? JsonName(System.Reflection.MemberInfo? member, System.Linq.Expressions.LambdaExpression? expression)
    {
        if (member is not null)
        {
            return CamelCasePath(member.Name);
        }

        // Include() and RuleFor(x => x) have no member; a chain like x => x.Parent.Name still names a path.
        var chain = expression is null ? null : PropertyChain.FromExpression(expression).ToString();
        return CamelCasePath(chain);
    }

    private static string? CamelCasePath(string? name) =>
        string.IsNullOrEmpty(name) ? name : string.Join('.', name.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    /// <summary>Validates the request body of type <typeparamref name="T"/> before the handler runs.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) where T : class =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();

    public static async Task<IDictionary<string, string[]>?> ValidateAsync<T>(IValidator<T> validator, T value, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(value, cancellationToken);
        return result.IsValid ? null : result.ToDictionary();
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Problem(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors,
        detail: errors.Count == 1 && errors.First().Value.Length == 1
            ? errors.First().Value[0]
            : $"Check these fields: {string.Join(", ", errors.Keys)}.",
        title: "One or more fields are not valid.");

    private sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter where T : class
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var argument = context.Arguments.OfType<T>().FirstOrDefault();
            if (argument is null)
            {
                return TypedResults.Problem(Problems.BadRequest("This request needs a JSON body."));
            }

            var errors = await ValidateAsync(validator, argument, context.HttpContext.RequestAborted);
            return errors is null ? await next(context) : Problem(errors);
        }
    }
}
