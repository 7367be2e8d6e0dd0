import { expect, test } from "vitest";
import { api } from "./helpers/api";

test("health reports the version and that the database answers, with a request id", async () => {
  const res = await api("GET", "/api/health");
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+$/), database: "ok" });
  expect(res.headers.get("x-request-id")).toBeTruthy();
});

test("the OpenAPI document describes the API with its security schemes", async () => {
  const res = await api("GET", "/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe("3.1.0");
  expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(["basic", "bearer", "session"]);
  expect(res.body.paths["/api/v1/projects"].post.requestBody.content["application/json"].schema).toBeTruthy();
});

test("the dashboard is served beside the API", async () => {
  const res = await fetch(`${(await import("./helpers/api")).stack().url}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/html/);
});

test("the metric ingest body is documented although the route parses it itself (gzip)", async () => {
  const doc = (await api("GET", "/api/openapi.json")).body;
  const op = doc.paths["/api/v1/runs/{run}/metrics"].post;
  expect(op.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/MetricBatch");
  expect(doc.components.schemas.MetricBatch.properties.seq).toBeTruthy();
  expect(op.responses["413"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
});
