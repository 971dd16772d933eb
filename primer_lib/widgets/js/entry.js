export * as vega from "vega";
export * as vegaLite from "vega-lite";
export { Handler } from "vega-tooltip";
