// The people picker (participants/pickers.py): chips for the people chosen and a
// combobox searching on the server (ARIA 1.2 combobox with a listbox popup). Without
// this script the same markup works as a search-then-tick form. No inline scripts: the
// texts come translated in data-text-* attributes of the widget.
(() => {
  "use strict";

  function text(root, key, value) {
    const template = root.dataset["text" + key] || "%s";
    return template.replace("%s", value);
  }

  function setUp(root) {
    const name = root.dataset.name;
    const url = root.dataset.url;
    const input = root.querySelector(".picker-input");
    const chosen = root.querySelector(".picker-chosen");
    const chosenLabel = root.querySelector(".picker-chosen-label");
    const status = root.querySelector(".picker-status");
    const box = root.querySelector(".picker-box");
    const listboxId = input.id + "-listbox";
    let timer = null;
    let request = 0; // the latest search: older answers are ignored
    let options = []; // {person} or {more: page}
    let active = -1;
    let query = "";

    root.querySelector(".picker-search-button")?.remove();
    root.querySelector(".picker-results")?.remove();

    const listbox = document.createElement("ul");
    listbox.id = listboxId;
    listbox.className = "picker-listbox list-unstyled";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", root.dataset.textResults);
    listbox.hidden = true;
    box.appendChild(listbox);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listboxId);
    input.value = "";

    function announce(message) {
      status.textContent = message;
    }

    function chosenIds() {
      return new Set(
        Array.from(chosen.querySelectorAll("input[type=hidden], input[type=checkbox]:checked")).map(
          (i) => i.value,
        ),
      );
    }

    function updateCount() {
      chosenLabel.textContent = text(root, "Chosen", chosen.children.length);
    }

    function chip(person) {
      const item = document.createElement("li");
      item.className = "picker-chip";
      item.dataset.id = person.id;
      item.dataset.label = person.label;
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = name;
      hidden.value = person.id;
      const label = document.createElement("span");
      label.textContent = person.name + " ";
      const detail = document.createElement("span");
      detail.className = "small text-body-secondary";
      detail.textContent = "(" + person.detail + ")";
      label.appendChild(detail);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-link picker-remove";
      remove.setAttribute("aria-label", text(root, "Remove", person.label));
      remove.textContent = "×";
      item.append(hidden, label, remove);
      return item;
    }

    // The people chosen when the page came (ticked checkboxes) become chips.
    for (const item of Array.from(chosen.children)) {
      const box = item.querySelector("input[type=checkbox]");
      const labelText = item.querySelector("label");
      const detail = labelText.querySelector("span").textContent.replace(/^\(|\)$/g, "");
      const person = {
        id: box.value,
        label: item.dataset.label,
        name: labelText.firstChild.textContent.trim(),
        detail: detail,
      };
      chosen.replaceChild(chip(person), item);
    }

    function add(person) {
      if (chosenIds().has(String(person.id))) return false;
      chosen.appendChild(chip(person));
      updateCount();
      return true;
    }

    function removeChip(item, focusNext) {
      const next = item.nextElementSibling || item.previousElementSibling;
      const label = item.dataset.label;
      item.remove();
      updateCount();
      announce(text(root, "Removed", label));
      if (focusNext) {
        (next ? next.querySelector(".picker-remove") : input).focus();
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = listbox.querySelectorAll("[role=option]");
      items.forEach((item, i) => {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(results, hasNext, page, append) {
      const taken = chosenIds();
      if (!append) {
        listbox.replaceChildren();
        options = [];
      } else if (options.length && options[options.length - 1].more) {
        options.pop();
        listbox.lastElementChild.remove();
      }
      for (const person of results) {
        if (taken.has(String(person.id))) continue;
        options.push({ person });
      }
      if (hasNext) options.push({ more: page + 1 });
      const start = listbox.children.length;
      options.slice(start).forEach((option, i) => {
        const item = document.createElement("li");
        item.id = `${listboxId}-${start + i}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "picker-option";
        if (option.more) {
          item.textContent = root.dataset.textMore;
          item.classList.add("picker-more");
        } else {
          item.textContent = option.person.name + " ";
          const detail = document.createElement("span");
          detail.className = "small text-body-secondary";
          detail.textContent = "(" + option.person.detail + ")";
          item.appendChild(detail);
        }
        // mousedown, not click: the input keeps the focus.
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(start + i);
        });
        listbox.appendChild(item);
      });
      if (!options.length) {
        const item = document.createElement("li");
        item.className = "picker-empty";
        item.textContent = root.dataset.textNone;
        listbox.appendChild(item);
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      const people = options.filter((o) => o.person).length;
      announce(people ? text(root, "Found", people) : root.dataset.textNone);
    }

    async function fetchPage(params) {
      const response = await fetch(url + "?" + new URLSearchParams(params), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }

    async function search(page = 1, append = false) {
      const mine = ++request;
      query = input.value.trim();
      if (!query) {
        close();
        return;
      }
      try {
        const data = await fetchPage({ q: query, page });
        if (mine !== request) return;
        render(data.results, data.has_next, data.page, append);
        if (append) highlight(Math.min(active, options.length - 1));
      } catch (error) {
        if (mine === request) announce(root.dataset.textError);
      }
    }

    function choose(index) {
      const option = options[index];
      if (!option) return;
      if (option.more) {
        active = index;
        search(option.more, true);
        return;
      }
      if (add(option.person)) announce(text(root, "Added", option.person.label));
      // The same search stays open, without the one just added: the next person of
      // the same name is one arrow away.
      options.splice(index, 1);
      listbox.children[index].remove();
      Array.from(listbox.children).forEach((item, i) => {
        item.id = `${listboxId}-${i}`;
      });
      if (!options.length) {
        close();
      } else {
        highlight(Math.min(index, options.length - 1));
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(), 200);
    });

    input.addEventListener("keydown", (event) => {
      const open = !listbox.hidden && options.length > 0;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!open) {
            search();
          } else {
            highlight(active < options.length - 1 ? active + 1 : 0);
          }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (open) highlight(active > 0 ? active - 1 : options.length - 1);
          break;
        case "Enter":
          // Never submits the form from the search box: a person is chosen or nothing.
          event.preventDefault();
          if (open && active >= 0) choose(active);
          else if (open && options.length === 1) choose(0);
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
          }
          break;
        case "Backspace":
          if (!input.value && chosen.lastElementChild) {
            event.preventDefault();
            removeChip(chosen.lastElementChild, false);
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", () => setTimeout(close, 150));

    chosen.addEventListener("click", (event) => {
      const button = event.target.closest(".picker-remove");
      if (button) removeChip(button.closest(".picker-chip"), true);
    });
    chosen.addEventListener("keydown", (event) => {
      const button = event.target.closest(".picker-remove");
      if (!button) return;
      if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        removeChip(button.closest(".picker-chip"), true);
      } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        const item = button.closest(".picker-chip");
        const other =
          event.key === "ArrowRight" ? item.nextElementSibling : item.previousElementSibling;
        (other ? other.querySelector(".picker-remove") : input).focus();
      }
    });

    // "Add the whole group": every page of the group's people, added as chips.
    const groupButton = root.querySelector(".picker-group-button");
    if (groupButton) {
      const select = root.querySelector(".picker-group select");
      groupButton.type = "button";
      groupButton.addEventListener("click", async () => {
        let page = 1;
        let added = 0;
        try {
          for (;;) {
            const data = await fetchPage({ group: select.value, page });
            for (const person of data.results) if (add(person)) added += 1;
            if (!data.has_next) break;
            page += 1;
          }
          announce(text(root, "Group", added));
        } catch (error) {
          announce(root.dataset.textError);
        }
      });
    }
    updateCount();
  }

  document.querySelectorAll(".people-picker[data-url]").forEach(setUp);
})();
