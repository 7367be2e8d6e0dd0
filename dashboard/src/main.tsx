import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { render } from "preact";
import { App } from "./app";
import { interceptLinks } from "./lib/router";
import { applyTheme } from "./lib/theme";

applyTheme();
interceptLinks();
render(<App />, document.getElementById("app")!);
