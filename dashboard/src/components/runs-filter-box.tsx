import { useState } from "preact/hooks";
import type { Ref } from "preact";
import { suggestTerms, type FilterIssue, type KnownKeys } from "../lib/filter";

// The filter box with completions for the term being typed (config., summary.,
// status:, tag:, name~ from the project's known keys).
export function RunsFilterBox({ draft, setDraft, onApply, known, inputRef }: { draft: string; setDraft: (s: string) => void; onApply: (s: string) => void; known: KnownKeys; inputRef: Ref<HTMLInputElement> }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const at = draft.lastIndexOf(" ") + 1;
  const term = draft.slice(at);
  const options = open ? suggestTerms(term, known) : [];
  const accept = (s: string) => {
    // A field name waits for its operator; status:/tag: terms are complete.
    const done = /^(status|tag):./.test(s);
    setDraft(draft.slice(0, at) + s + (done ? " " : ""));
    setActive(0);
    if (done) setOpen(true);
  };
  const onKey = (e: KeyboardEvent) => {
    if (!options.length) return;
    if (e.key === "ArrowDown") (e.preventDefault(), setActive((active + 1) % options.length));
    else if (e.key === "ArrowUp") (e.preventDefault(), setActive((active - 1 + options.length) % options.length));
    else if (e.key === "Tab" && term) (e.preventDefault(), accept(options[active]!));
    else if (e.key === "Escape") setOpen(false);
  };
  return (
    <div class="runs-filter">
      <form
        class="filter"
        onSubmit={(e) => {
          e.preventDefault();
          setOpen(false);
          onApply(draft.trim());
        }}
      >
        <input
          ref={inputRef}
          type="search"
          value={draft}
          aria-label="Filter runs"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={options.length > 0}
          aria-controls="runs-filter-suggestions"
          aria-activedescendant={options.length ? `runs-filter-opt-${active}` : undefined}
          autocomplete="off"
          placeholder="Filter: status:running tag:baseline config.lr>=0.01 summary.loss.min<0.3 (press /)"
          onInput={(e) => (setDraft((e.target as HTMLInputElement).value), setOpen(true), setActive(0))}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKey}
        />
        {options.length > 0 && (
          <ul class="runs-suggest" role="listbox" id="runs-filter-suggestions" aria-label="Filter suggestions" data-testid="filter-suggestions">
            {options.map((o, i) => (
              <li id={`runs-filter-opt-${i}`} role="option" aria-selected={i === active} class={i === active ? "on" : ""} onMouseDown={(e) => (e.preventDefault(), accept(o))}>
                {o}
              </li>
            ))}
          </ul>
        )}
      </form>
    </div>
  );
}

// What was wrong with the applied filter, each term with its fix as a button.
export function FilterIssues({ applied, issues, onApply }: { applied: string; issues: FilterIssue[]; onApply: (s: string) => void }) {
  if (!issues.length) return null;
  return (
    <ul class="runs-filter-issues" role="alert" data-testid="filter-issues">
      {issues.map((i) => (
        <li>
          <code>{i.term}</code> — {i.message}{" "}
          {i.fix && (
            <button class="ghost small" onClick={() => onApply(replaceTerm(applied, i.term, i.fix!))}>
              Use {i.fix}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

const replaceTerm = (text: string, term: string, fix: string) =>
  text
    .trim()
    .split(/\s+/)
    .map((t) => (t === term ? fix : t))
    .join(" ");
