import { z } from "@hono/zod-openapi";

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      request_id: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

export const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });

// The failures every authenticated route can answer.
export const authErrors = {
  400: errorResponse("Invalid input; the message names the field"),
  401: errorResponse("Missing or invalid credentials"),
  403: errorResponse("The credential lacks a scope or role"),
  404: errorResponse("Not found (also another team's resource)"),
} as const;

export const publicErrors = { 400: errorResponse("Invalid input"), 429: errorResponse("Too many attempts") } as const;

export const jsonContent = <T extends z.ZodType>(schema: T, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const noContent = { description: "Done" };
