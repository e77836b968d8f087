// A background job's page (templates/job.html): asks for the job's state every second
// until it has finished, and shows it. When the job is done and has a next page (the
// next step of a wizard) the browser goes there; a file is offered for download.
const box = document.querySelector("[data-job-state]");

function show(state) {
  for (const field of box.querySelectorAll("[data-job-field]")) {
    field.textContent = state[field.dataset.jobField];
  }
  const bar = box.querySelector("progress");
  bar.value = state.progress;
  bar.textContent = `${state.progress}%`;
  for (const link of box.querySelectorAll("[data-job-link]")) {
    const url = state[link.dataset.jobLink];
    link.classList.toggle("d-none", !url);
    if (url) link.href = url;
  }
  if (state.finished) {
    const waiting = box.querySelector("[data-job-waiting]");
    if (waiting) waiting.remove();
  }
}

async function poll() {
  try {
    const response = await fetch(box.dataset.jobState, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const state = await response.json();
      show(state);
      if (state.finished) {
        if (state.next_url) window.location.assign(state.next_url);
        return;
      }
    }
  } catch (error) {
    // The server restarting or the network away: try again below.
  }
  setTimeout(poll, 1000);
}

if (box && box.querySelector("[data-job-waiting]")) setTimeout(poll, 1000);
