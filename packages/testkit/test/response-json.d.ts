// Tests read many provider-shaped bodies and assert on them field by field; typing each shape would only restate
// the assertions, so in tests `response.json()` is `any`, as it is in the DOM typings.
export {};

declare global {
  interface Response {
    json(): Promise<any>;
  }
}
